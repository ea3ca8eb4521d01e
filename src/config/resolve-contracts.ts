/**
 * The service-to-service contracts of dynenv.yaml (`allowFrom`, `talksTo`), resolved to ports, and the rules
 * that keep both ends in agreement: a call one side declares and the other refuses is a call that fails.
 */
import type { ContractPeer } from './contracts-schema.ts';
import { servicePorts, type ResolvedPort } from './resolve-ports.ts';
import type { ServiceConfig } from './service-schema.ts';
import type { ServiceIssue } from './service-issue.ts';

/** One side of a contract: the other service, and the ports of the called service the calls use. */
export interface ContractedPeer {
  readonly service: string;
  /** Ports of the service called (for `allowFrom`: of this service; for `talksTo`: of the other). */
  readonly ports: readonly ResolvedPort[];
}

export interface ServiceContract {
  readonly service: string;
  /** Who may call it inside the namespace; undefined when it declares no `allowFrom` (every pod may). */
  readonly callers?: readonly ContractedPeer[];
  /** Whom it may call inside the namespace; undefined when it declares no `talksTo` (every pod). */
  readonly callees?: readonly ContractedPeer[];
}

/** The contracts among `services` (those of one environment): peers not among them are left out. */
export function resolveContracts(services: readonly ServiceConfig[]): ServiceContract[] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const resolve = (entries: readonly ContractPeer[], portsOf: (peer: ServiceConfig) => ServiceConfig): ContractedPeer[] =>
    entries.flatMap((entry) => {
      const { service, ports } = peerOf(entry);
      const peer = byName.get(service);
      if (peer === undefined) return [];
      const all = servicePorts(portsOf(peer));
      return [{ service, ports: ports === undefined ? all : all.filter((port) => ports.includes(port.name)) }];
    });
  return services
    .filter((service) => service.allowFrom !== undefined || service.talksTo !== undefined)
    .map((service) => ({
      service: service.name,
      ...(service.allowFrom !== undefined && { callers: resolve(service.allowFrom, () => service) }),
      ...(service.talksTo !== undefined && { callees: resolve(service.talksTo, (peer) => peer) }),
    }));
}

/** A contract entry in its long form. */
export function peerOf(entry: ContractPeer): { service: string; ports?: readonly string[] } {
  return typeof entry === 'string' ? { service: entry } : entry;
}

/**
 * The problems of every service's contracts, each at `[index of the service, ...path inside it]`: peers that do
 * not exist or have no such port, and calls one side declares that the other side's contract refuses.
 */
export function checkContracts(services: readonly ServiceConfig[]): Array<{ readonly index: number } & ServiceIssue> {
  const issues: Array<{ index: number } & ServiceIssue> = [];
  const indexOf = new Map(services.map((service, index) => [service.name, index]));
  const names = services.map((service) => service.name).join(', ');
  services.forEach((service, index) => {
    for (const field of ['allowFrom', 'talksTo'] as const) {
      const seen = new Set<string>();
      service[field]?.forEach((entry, position) => {
        const at =
          (...path: Array<string | number>) =>
          (message: string) =>
            issues.push({ index, path: [field, position, ...path], message });
        const { service: name, ports } = peerOf(entry);
        const peer = services[indexOf.get(name) ?? -1];
        if (seen.has(name)) return at()(`"${name}" is listed twice`);
        seen.add(name);
        if (peer === undefined) return at(...(typeof entry === 'string' ? [] : ['service']))(`no service named "${name}" (services are: ${names})`);
        const called = field === 'allowFrom' ? service : peer;
        const calledPorts = servicePorts(called);
        if (calledPorts.length === 0) return at()(`${called.name} has no port, so nothing can call it: declare its "ports" first`);
        ports?.forEach((port, portIndex) => {
          if (!calledPorts.some((candidate) => candidate.name === port)) {
            at('ports', portIndex)(`${called.name} has no port named "${port}" (its ports: ${calledPorts.map((candidate) => candidate.name).join(', ')})`);
          }
        });
        const mismatch = field === 'talksTo' ? refusedCall(service, peer, ports) : unansweredCaller(service, peer);
        if (mismatch) at()(`${mismatch} (services[${indexOf.get(peer.name)}])`);
      });
    }
  });
  return issues;
}

/** Why `callee`'s `allowFrom` refuses what `caller` says it calls, or undefined when it admits it (or declares none). */
function refusedCall(caller: ServiceConfig, callee: ServiceConfig, ports: readonly string[] | undefined): string | undefined {
  if (callee.allowFrom === undefined) return undefined;
  const admitted = callee.allowFrom.map(peerOf).find((entry) => entry.service === caller.name);
  if (admitted === undefined) {
    return `${callee.name} does not admit ${caller.name}: its allowFrom lists ${callee.allowFrom.map((entry) => peerOf(entry).service).join(', ') || 'nobody'}; add "${caller.name}" to it`;
  }
  if (admitted.ports === undefined) return undefined;
  const wanted = ports ?? servicePorts(callee).map((port) => port.name);
  const refused = wanted.filter((port) => !admitted.ports!.includes(port));
  return refused.length === 0 ? undefined : `${callee.name} admits ${caller.name} only on ${admitted.ports.join(', ')}, not on ${refused.join(', ')}`;
}

/** Why `caller`'s `talksTo` leaves out the service whose `allowFrom` names it, or undefined. */
function unansweredCaller(callee: ServiceConfig, caller: ServiceConfig): string | undefined {
  if (caller.talksTo === undefined || caller.talksTo.some((entry) => peerOf(entry).service === callee.name)) return undefined;
  return `${caller.name} declares talksTo without ${callee.name}, so its pods cannot call it; add "${callee.name}" to its talksTo`;
}
