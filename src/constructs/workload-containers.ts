/** The containers of a service's pod: the main one, and its init containers and native sidecars. */
import * as kplus from 'cdk8s-plus-28';
import type { EnvValue } from '../config/env-schema.ts';
import { resolveImage } from '../config/image-reference.ts';
import type { InitContainerConfig } from '../config/init-containers-schema.ts';
import { resolveProbes } from '../config/resolve-probes.ts';
import { servicePorts, type ResolvedPort } from '../config/resolve-ports.ts';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import { resourceQuantities } from './pod-security.ts';
import { configMapName, envFromSources, literalEnv, referencedEnv } from './workload-env.ts';
import { containerProbes } from './workload-probes.ts';
import { containerSecurityContext, type ResolvedSecurity } from './workload-security.ts';
import { containerMounts, mainMounts } from './workload-volumes.ts';

function containerPorts(ports: readonly ResolvedPort[]): Pick<kplus.k8s.Container, 'ports'> {
  if (ports.length === 0) return {};
  return { ports: ports.map((port) => ({ name: port.name, containerPort: port.containerPort, ...(port.protocol !== 'TCP' && { protocol: port.protocol }) })) };
}

export interface MainContainerOptions {
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly resources: Resources;
  readonly security: ResolvedSecurity;
}

/** The service's own container, named after it; literal env comes from its ConfigMap, read last so its values win. */
export function mainContainer(service: ServiceConfig, options: MainContainerOptions): kplus.k8s.Container {
  const references = referencedEnv(options.env);
  return {
    name: service.name,
    image: resolveImage(service.image, service.builtHere).reference,
    ...(service.command && { command: [...service.command] }),
    ...(service.args && { args: [...service.args] }),
    ...containerPorts(servicePorts(service)),
    ...(references.length > 0 && { env: references }),
    envFrom: [...envFromSources(service.envFrom), { configMapRef: { name: configMapName(service.name) } }],
    resources: resourceQuantities(options.resources),
    ...containerProbes(resolveProbes(service, servicePorts(service))),
    securityContext: containerSecurityContext(options.security),
    // A read-only root file system still needs somewhere to write temporary files.
    volumeMounts: mainMounts(service.volumes),
  };
}

/** Init containers and sidecars in their configured order; their env is inline (only the main container has a ConfigMap). */
export function initContainers(containers: readonly InitContainerConfig[], security: ResolvedSecurity): kplus.k8s.Container[] {
  return containers.map((container) => {
    const ports = servicePorts({ ports: container.ports });
    const literals = Object.entries(literalEnv(container.env))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value }));
    const env = [...literals, ...referencedEnv(container.env)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const envFrom = envFromSources(container.envFrom);
    return {
      name: container.name,
      image: resolveImage(container.image, container.builtHere).reference,
      ...(container.sidecar && { restartPolicy: 'Always' }),
      ...(container.command && { command: [...container.command] }),
      ...(container.args && { args: [...container.args] }),
      ...containerPorts(ports),
      ...(env.length > 0 && { env }),
      ...(envFrom.length > 0 && { envFrom }),
      resources: resourceQuantities(container.resources),
      // A sidecar has no healthPath/healthCommand shorthands: only the probes it declares.
      ...(container.sidecar && containerProbes(resolveProbes({ probes: container.probes }, ports))),
      securityContext: containerSecurityContext(security),
      volumeMounts: containerMounts(container.volumeMounts),
    };
  });
}
