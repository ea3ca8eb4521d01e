/**
 * The probes a service's main container gets: those `healthPath` or `healthCommand` derive, each replaced by the
 * probe of the same kind in `probes` (or removed by `false`), with port names resolved to container ports.
 */
import type { ProbeConfig } from './probes-schema.ts';
import { containerPortOf, httpPort, type ResolvedPort } from './resolve-ports.ts';
import type { ServiceConfig } from './service-schema.ts';

export const PROBE_KINDS = ['readiness', 'liveness', 'startup'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** One check with every port a number, and the timings that were set (Kubernetes defaults the others). */
export type ResolvedCheck =
  | { readonly http: { readonly path: string; readonly port: number; readonly headers?: Readonly<Record<string, string>>; readonly scheme: 'HTTP' | 'HTTPS' } }
  | { readonly grpc: { readonly port: number; readonly service?: string } }
  | { readonly tcp: { readonly port: number } }
  | { readonly exec: { readonly command: readonly string[] } };

export type ResolvedProbe = ResolvedCheck & {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
};

export interface ResolvedProbes {
  readonly readiness?: ResolvedProbe;
  readonly liveness?: ResolvedProbe;
  readonly startup?: ResolvedProbe;
  /** `probes.readiness: false`: the service declares it serves no traffic, so it needs no readiness probe. */
  readonly noReadiness: boolean;
}

/** The probes `healthPath` (readiness, liveness, startup) or `healthCommand` (readiness, liveness) imply. */
type ProbeSettings = Pick<ServiceConfig, 'healthPath' | 'healthCommand' | 'probes'>;

function derivedProbes(service: ProbeSettings, ports: readonly ResolvedPort[]): Partial<Record<ProbeKind, ResolvedProbe>> {
  const http = httpPort(ports);
  if (service.healthPath !== undefined && http !== undefined) {
    const check = { http: { path: service.healthPath, port: http.containerPort, scheme: 'HTTP' as const } };
    return {
      readiness: { ...check, periodSeconds: 10, failureThreshold: 3 },
      liveness: { ...check, periodSeconds: 20, failureThreshold: 3 },
      // Up to 150 s to start before liveness takes over, without making liveness itself slow to react.
      startup: { ...check, periodSeconds: 5, failureThreshold: 30 },
    };
  }
  if (service.healthCommand !== undefined) {
    const check = { exec: { command: service.healthCommand } };
    return { readiness: { ...check, periodSeconds: 10, failureThreshold: 3 }, liveness: { ...check, periodSeconds: 30, failureThreshold: 3 } };
  }
  return {};
}

/** A configured probe with its port resolved; undefined when a named port does not exist (the checks report it). */
export function resolveProbe(probe: ProbeConfig, ports: readonly ResolvedPort[]): ResolvedProbe | undefined {
  const { http, grpc, tcp, exec, ...timings } = probe;
  const resolve = (reference: number | string) => containerPortOf(reference, ports);
  let check: ResolvedCheck | undefined;
  if (http) {
    const port = resolve(http.port);
    check = port === undefined ? undefined : { http: { path: http.path, port, scheme: http.scheme, ...(http.headers && { headers: http.headers }) } };
  } else if (grpc) {
    const port = resolve(grpc.port);
    check = port === undefined ? undefined : { grpc: { port, ...(grpc.service !== undefined && { service: grpc.service }) } };
  } else if (tcp) {
    const port = resolve(tcp.port);
    check = port === undefined ? undefined : { tcp: { port } };
  } else if (exec) {
    check = { exec: { command: exec.command } };
  }
  return check === undefined ? undefined : { ...check, ...timings };
}

export function resolveProbes(service: ProbeSettings, ports: readonly ResolvedPort[]): ResolvedProbes {
  const derived = derivedProbes(service, ports);
  const out: Partial<Record<ProbeKind, ResolvedProbe>> = {};
  for (const kind of PROBE_KINDS) {
    const configured = service.probes?.[kind];
    const probe = configured === false ? undefined : configured === undefined ? derived[kind] : resolveProbe(configured, ports);
    if (probe !== undefined) out[kind] = probe;
  }
  return { ...out, noReadiness: service.probes?.readiness === false };
}
