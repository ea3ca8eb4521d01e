/**
 * Kubernetes probes in dynenv's terms (`probes.readiness|liveness|startup`): the check (httpGet, grpc, tcpSocket,
 * exec) and its timings. A probe's port, by number or by the container's port name, is written as the name of the
 * service's port when one matches, so that it follows the port if the port ever moves.
 */
import type { ProbeConfig, ProbesConfig } from '../config/probes-schema.ts';
import type { PortConfig } from '../config/ports-schema.ts';
import type { Json } from './json.ts';

const TIMINGS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const;
const KINDS = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' } as const;

export interface ImportedProbes {
  readonly probes: ProbesConfig;
  /** Probes with nothing dynenv can say (a probe without a check), by the container field that holds them. */
  readonly uncarried: Json;
}

/**
 * The probes of `container`. `containerPorts` are its ports as written upstream (to resolve a port name), `ports`
 * the service's ports as imported (to write a name). Without a readiness probe, `readiness: false` is written for a
 * container that serves nothing, as dynenv requires one or the other.
 */
export function importProbes(container: Json, containerPorts: readonly Json[], ports: readonly PortConfig[]): ImportedProbes {
  const probes: Record<string, ProbeConfig | false> = {};
  const uncarried: Json = {};
  const portReference = (reference: number | string): number | string => {
    const number = typeof reference === 'number' ? reference : Number(containerPorts.find((port) => port.name === reference)?.containerPort ?? Number.NaN);
    if (Number.isNaN(number)) return reference;
    return ports.find((port) => port.containerPort === number)?.name ?? number;
  };
  for (const [kind, field] of Object.entries(KINDS)) {
    const probe = container[field];
    if (probe === undefined) continue;
    const check = importCheck(probe, portReference);
    if (check === undefined) {
      uncarried[field] = probe;
      continue;
    }
    const timings = Object.fromEntries(TIMINGS.filter((timing) => probe[timing] !== undefined).map((timing) => [timing, probe[timing]]));
    probes[kind] = { ...check, ...timings } as ProbeConfig;
  }
  return { probes: probes as ProbesConfig, uncarried };
}

function importCheck(probe: Json, port: (reference: number | string) => number | string): Partial<ProbeConfig> | undefined {
  if (probe.httpGet) {
    const { path, scheme, httpHeaders } = probe.httpGet;
    const headers = Object.fromEntries(((httpHeaders ?? []) as Json[]).map((header) => [header.name, String(header.value)]));
    return {
      http: {
        path: path ?? '/',
        port: port(probe.httpGet.port),
        ...(Object.keys(headers).length > 0 && { headers }),
        ...(scheme === 'HTTPS' && { scheme }),
      } as NonNullable<ProbeConfig['http']>,
    };
  }
  if (probe.grpc) return { grpc: { port: port(probe.grpc.port), ...(probe.grpc.service && { service: probe.grpc.service }) } };
  if (probe.tcpSocket) return { tcp: { port: port(probe.tcpSocket.port) } };
  if (probe.exec?.command) return { exec: { command: probe.exec.command.map(String) } };
  return undefined;
}
