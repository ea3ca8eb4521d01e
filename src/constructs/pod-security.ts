/**
 * The pod and container security settings of the "restricted" Pod Security Standard, shared by every pod
 * dynenv writes without cdk8s-plus (databases, Jobs, the plugin server).
 */
import * as kplus from 'cdk8s-plus-28';

/** Pod-level: non-root as `uid`, files group-owned by it, the RuntimeDefault seccomp profile. */
export function restrictedPodSecurity(uid: number): kplus.k8s.PodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Container-level: no privilege escalation, no capabilities, a read-only root file system. */
export const RESTRICTED_CONTAINER_SECURITY: kplus.k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Container resources as L1 quantities, exactly as configured. */
export function resourceQuantities(resources: {
  readonly requests: { readonly cpu?: string; readonly memory?: string };
  readonly limits: { readonly cpu?: string; readonly memory?: string };
}): kplus.k8s.ResourceRequirements {
  const pick = (amounts: { readonly cpu?: string; readonly memory?: string }) =>
    Object.fromEntries(
      Object.entries(amounts)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([name, value]) => [name, kplus.k8s.Quantity.fromString(value)]),
    );
  return { requests: pick(resources.requests), limits: pick(resources.limits) };
}

/** An emptyDir at /tmp: a read-only root file system still needs somewhere to write temporary files. */
export const TMP_VOLUME: kplus.k8s.Volume = { name: 'tmp', emptyDir: {} };
export const TMP_MOUNT: kplus.k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };
