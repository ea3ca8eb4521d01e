/**
 * The ports of a service: what its main container listens on and what its Service exposes. dynenv writes one
 * Service per service, named after it, with every port; the upstream Service of the same name (or the only
 * ClusterIP Service that selects the pods) gives the names and the Service ports callers address.
 */
import type { PortConfig } from '../config/ports-schema.ts';
import type { Manifest } from './manifests.ts';
import type { Json } from './json.ts';

const PORT_NAME = /^(?!.*--)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether a Service's selector picks the pods with `podLabels`. A Service without a selector selects nothing here. */
export function selects(service: Manifest, podLabels: Readonly<Record<string, string>>): boolean {
  const selector: Record<string, string> | undefined = service.body.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => podLabels[key] === String(value));
}

/** The container port a Service port sends to: `targetPort` by number or by the container port's name, else `port`. */
export function targetContainerPort(servicePort: Json, containerPorts: readonly Json[]): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(String(target))) return Number(target);
  const named = containerPorts.find((port) => port.name === target);
  return named === undefined ? undefined : Number(named.containerPort);
}

/**
 * The service's `ports`: the primary Service's ports first (their names, and their Service port when it differs
 * from the container port), then the container's other ports under their own names. Undefined when there is none.
 */
export function importPorts(containerPorts: readonly Json[], primary: Manifest | undefined): PortConfig[] | undefined {
  const ports: PortConfig[] = [];
  const names = new Set<string>();
  const uniqueName = (wanted: string | undefined, containerPort: number, protocol: string): string => {
    const cleaned = wanted
      ?.toLowerCase()
      .replace(/[^-a-z0-9]/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 15)
      .replace(/-$/, '');
    let name = cleaned && PORT_NAME.test(cleaned) ? cleaned : `${protocol.toLowerCase()}-${containerPort}`.slice(0, 15);
    for (let suffix = 2; names.has(name); suffix++) name = `${name.slice(0, 12)}-${suffix}`;
    names.add(name);
    return name;
  };
  for (const servicePort of (primary?.body.spec?.ports ?? []) as Json[]) {
    const containerPort = targetContainerPort(servicePort, containerPorts);
    if (containerPort === undefined || ports.some((port) => port.containerPort === containerPort)) continue;
    const declared = containerPorts.find((port) => Number(port.containerPort) === containerPort);
    const protocol = servicePort.protocol ?? declared?.protocol ?? 'TCP';
    ports.push({
      name: uniqueName(servicePort.name ?? declared?.name, containerPort, protocol),
      containerPort,
      ...(Number(servicePort.port) !== containerPort && { port: Number(servicePort.port) }),
      ...(protocol !== 'TCP' && { protocol }),
      ...(servicePort.appProtocol !== undefined && { appProtocol: servicePort.appProtocol }),
    } as PortConfig);
  }
  for (const declared of containerPorts) {
    const containerPort = Number(declared.containerPort);
    if (ports.some((port) => port.containerPort === containerPort)) continue;
    const protocol = declared.protocol ?? 'TCP';
    ports.push({ name: uniqueName(declared.name, containerPort, protocol), containerPort, ...(protocol !== 'TCP' && { protocol }) } as PortConfig);
  }
  return ports.length > 0 ? ports : undefined;
}
