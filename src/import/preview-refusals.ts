/**
 * What a preview's fence refuses in an upstream pod, whatever its Pod Security level: a preview runs a pull
 * request's code, so its admission policy (src/constructs/preview-admission/pods-policy.ts) admits no privileged
 * container, no host namespace, host port or hostPath, and no capability beyond NET_BIND_SERVICE. An imported
 * workload that needs one of them cannot run in a preview; the import leaves it out of previews rather than
 * writing a tree whose previews the cluster refuses (or weakening the fence).
 */
import type { Json } from './json.ts';

/** The one capability a preview's containers may add (binding a port below 1024), as the fence says. */
const PREVIEW_CAPABILITY = 'NET_BIND_SERVICE';
const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Why a preview refuses the pod, one reason per setting ("init container init-sysctl runs privileged"); [] when it admits it. */
export function previewRefusals(pod: Json): string[] {
  const reasons: string[] = [];
  const containers: Array<[string, Json]> = [
    ...((pod.initContainers ?? []) as Json[]).map((container): [string, Json] => [`init container ${container.name}`, container]),
    ...((pod.containers ?? []) as Json[]).map((container): [string, Json] => [`container ${container.name}`, container]),
  ];
  for (const [what, container] of containers) {
    const context: Json = container.securityContext ?? {};
    if (context.privileged === true) reasons.push(`${what} runs privileged`);
    const added = ((context.capabilities?.add ?? []) as string[]).map((capability) => String(capability).replace(/^CAP_/, ''));
    const refused = added.filter((capability) => capability !== PREVIEW_CAPABILITY);
    if (refused.length > 0) reasons.push(`${what} adds the capabilit${refused.length > 1 ? 'ies' : 'y'} ${refused.join(', ')}`);
    const hostPorts = ((container.ports ?? []) as Json[]).filter((port) => port.hostPort).map((port) => port.hostPort);
    if (hostPorts.length > 0) reasons.push(`${what} binds host port ${hostPorts.join(', ')}`);
  }
  for (const field of HOST_NAMESPACES) if (pod[field] === true) reasons.push(`the pod sets ${field}`);
  for (const volume of (pod.volumes ?? []) as Json[]) if (volume.hostPath !== undefined) reasons.push(`volume ${volume.name} is a hostPath`);
  return reasons;
}
