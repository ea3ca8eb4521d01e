/**
 * The ports of a service once the `port` shorthand is expanded, and how a port reference (a name or a number)
 * resolves against them. Every construct and check reads ports through here.
 */
import type { ServiceConfig } from './service-schema.ts';

export interface ResolvedPort {
  readonly name: string;
  readonly containerPort: number;
  /** The Service port callers address. */
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly appProtocol?: string;
}

/** Port the `port` shorthand exposes on the Service, so callers write `http://api` without a port. */
export const SHORTHAND_SERVICE_PORT = 80;
/** Name of the port the `port` shorthand declares, and of the port an Ingress and `healthPath` use. */
export const HTTP_PORT_NAME = 'http';

/** The service's ports: `ports`, or the one `port` declares; empty for a service without a port. */
export function servicePorts(service: Pick<ServiceConfig, 'port' | 'ports'>): ResolvedPort[] {
  if (service.ports) return service.ports.map((port) => ({ ...port, port: port.port ?? port.containerPort }));
  if (service.port !== undefined) {
    return [{ name: HTTP_PORT_NAME, containerPort: service.port, port: SHORTHAND_SERVICE_PORT, protocol: 'TCP' }];
  }
  return [];
}

/** The port named "http", else the only port; undefined when there is neither. */
export function httpPort(ports: readonly ResolvedPort[]): ResolvedPort | undefined {
  return ports.find((port) => port.name === HTTP_PORT_NAME) ?? (ports.length === 1 ? ports[0] : undefined);
}

/** The container port a reference names: a port of the service by name, or the number itself. */
export function containerPortOf(reference: number | string, ports: readonly ResolvedPort[]): number | undefined {
  if (typeof reference === 'number') return reference;
  return ports.find((port) => port.name === reference)?.containerPort;
}
