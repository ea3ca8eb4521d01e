/**
 * Rules of one service's workload beyond ports and probes: what each kind admits, volumes and their mounts, init
 * containers and sidecars. Each problem names the field at fault, relative to the service.
 */
import { isDockerHubOfficial, parseImageReference, shortImageName } from './image-reference.ts';
import { servicePorts } from './resolve-ports.ts';
import { resolveShutdown } from './resolve-shutdown.ts';
import type { ServiceIssue } from './service-issue.ts';
import type { ServiceConfig } from './service-schema.ts';

/** The volume dynenv adds to every pod for /tmp; a service may mount it by this name but not declare its own. */
export const TMP_VOLUME_NAME = 'tmp';
export const SELECTOR_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of'] as const;

export function checkWorkload(service: ServiceConfig): ServiceIssue[] {
  return [...kindRules(service), ...volumeRules(service), ...initContainerRules(service), ...podRules(service)];
}

function kindRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  if (service.kind === 'CronJob') {
    if (service.schedule === undefined) issues.push({ path: ['schedule'], message: 'required for kind: CronJob (e.g. "0 3 * * *")' });
    const serving = ['port', 'ports', 'ingress', 'healthPath', 'healthCommand', 'probes', 'preStopSleepSeconds'] as const;
    for (const field of serving) {
      if (service[field] !== undefined && service[field] !== false) {
        issues.push({ path: [field], message: 'a CronJob runs to completion and serves no traffic: leave it out, or use kind: Deployment' });
      }
    }
  } else {
    for (const field of ['schedule', 'job'] as const) {
      if (service[field] !== undefined) issues.push({ path: [field], message: `needs kind: CronJob (this service is a ${service.kind})` });
    }
  }
  return issues;
}

function volumeRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const names = new Map<string, number>();
  const mounts = new Map<string, string>([['/tmp', "dynenv's /tmp"]]);
  service.volumes.forEach((volume, index) => {
    const at = ['volumes', index];
    if (volume.name === TMP_VOLUME_NAME)
      issues.push({ path: [...at, 'name'], message: '"tmp" is the /tmp volume dynenv adds to every pod: choose another name' });
    const first = names.get(volume.name);
    if (first !== undefined) issues.push({ path: [...at, 'name'], message: `volume name ${volume.name} also in volumes[${first}]` });
    names.set(volume.name, index);
    if (volume.mountPath !== undefined) {
      const other = mounts.get(volume.mountPath);
      if (other !== undefined) issues.push({ path: [...at, 'mountPath'], message: `${volume.mountPath} is already mounted by ${other}` });
      mounts.set(volume.mountPath, `volumes[${index}]`);
    } else if (volume.readOnly !== undefined || volume.subPath !== undefined) {
      issues.push({
        path: [...at, volume.readOnly !== undefined ? 'readOnly' : 'subPath'],
        message: 'needs "mountPath": it describes the main container\'s mount',
      });
    }
    if (volume.persistent && service.kind !== 'StatefulSet') {
      issues.push({
        path: [...at, 'persistent'],
        message: `needs kind: StatefulSet (a ${service.kind}'s pods share no claim of their own); use emptyDir for scratch space`,
      });
    }
  });
  return issues;
}

function initContainerRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const names = new Map<string, number>([[service.name, -1]]);
  const volumes = new Set([TMP_VOLUME_NAME, ...service.volumes.map((volume) => volume.name)]);
  service.initContainers.forEach((container, index) => {
    const at = ['initContainers', index];
    const first = names.get(container.name);
    if (first !== undefined) {
      issues.push({
        path: [...at, 'name'],
        message:
          first < 0 ? `${container.name} is the main container's name (the service's)` : `container name ${container.name} also in initContainers[${first}]`,
      });
    }
    names.set(container.name, index);
    container.volumeMounts.forEach((mount, mountIndex) => {
      if (!volumes.has(mount.name)) {
        issues.push({ path: [...at, 'volumeMounts', mountIndex, 'name'], message: `no volume named "${mount.name}" (volumes: ${[...volumes].join(', ')})` });
      }
      if (mount.mountPath === '/tmp' && mount.name !== TMP_VOLUME_NAME) {
        issues.push({ path: [...at, 'volumeMounts', mountIndex, 'mountPath'], message: '/tmp is where dynenv mounts the "tmp" volume' });
      }
    });
    if (!container.sidecar) {
      for (const field of ['ports', 'probes'] as const) {
        if (container[field] !== undefined) {
          issues.push({
            path: [...at, field],
            message: 'an init container runs to completion before the main container: only a sidecar (sidecar: true) has it',
          });
        }
      }
    } else if (container.probes?.readiness === undefined) {
      issues.push({
        path: [...at, 'probes', 'readiness'],
        message: "required for a sidecar (its readiness counts for the pod's): a probe, or false for one that serves nothing",
      });
    }
    const ports = servicePorts({ ports: container.ports });
    for (const kind of ['readiness', 'liveness', 'startup'] as const) {
      const probe = container.probes?.[kind];
      if (!probe) continue;
      for (const check of ['http', 'grpc', 'tcp'] as const) {
        const reference = probe[check]?.port;
        if (typeof reference === 'string' && !ports.some((port) => port.name === reference)) {
          issues.push({ path: [...at, 'probes', kind, check, 'port'], message: `no port named "${reference}" on this container` });
        }
      }
    }
    issues.push(...imageIssues(container.image, container.builtHere, [...at, 'image']));
  });
  return issues;
}

/** Where an image comes from must be clear: the checks of a service's image, for any container's. */
export function imageIssues(image: string, builtHere: boolean | undefined, path: ReadonlyArray<string | number>): ServiceIssue[] {
  const parsed = parseImageReference(image);
  if ('problem' in parsed) return [];
  const pinned = parsed.tag !== undefined || parsed.digest !== undefined;
  const built = builtHere ?? !pinned;
  if (built && isDockerHubOfficial(parsed.repository)) {
    return [
      {
        path,
        message:
          `${parsed.repository} is a Docker Hub official image, which no application builds: give its tag or digest ` +
          `("${shortImageName(parsed.repository)}:<tag>") to run it as a third-party image`,
      },
    ];
  }
  if (built && parsed.digest !== undefined) {
    return [
      {
        path,
        message:
          'an image this repository builds takes its digest from each environment (environments.<env>.services.<service>.digest, ' +
          `moved by \`dynenv promote\`): drop "@${parsed.digest}" here, or set builtHere: false`,
      },
    ];
  }
  if (!built && !pinned) {
    return [{ path, message: `a third-party image (builtHere: false) runs as written in every environment: give its tag or digest ("${image}:<tag>")` }];
  }
  return [];
}

function podRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = SELECTOR_LABEL_KEYS.filter((key) => service.podLabels?.[key] !== undefined).map((key) => ({
    path: ['podLabels', key],
    message: `${key} is a selector label dynenv sets (it must never change): choose another key`,
  }));
  const { preStopSleepSeconds, terminationGracePeriodSeconds } = resolveShutdown(service);
  // The default sleep always fits (it takes at most half of a configured grace period); a configured one may not.
  if (terminationGracePeriodSeconds !== undefined && preStopSleepSeconds > 0 && terminationGracePeriodSeconds <= preStopSleepSeconds) {
    issues.push({
      path: ['terminationGracePeriodSeconds'],
      message:
        `${terminationGracePeriodSeconds} is not longer than the preStop sleep (preStopSleepSeconds: ${preStopSleepSeconds}), ` +
        'which counts towards it: the process would be killed before it could shut down. Raise it, or lower preStopSleepSeconds',
    });
  }
  return issues;
}
