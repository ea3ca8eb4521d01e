/**
 * A pod's security settings in dynenv's terms. dynenv starts from Pod Security "restricted" (non-root 65532,
 * read-only root, no escalation, every capability dropped); the import writes only what the upstream pod needs
 * beyond or instead of that, and carries `privileged` (which dynenv.yaml has no word for) through the patch.
 */
import type { SecurityContextConfig } from '../config/pod-schema.ts';
import type { WorkloadPatch } from './pod-patch.ts';
import type { Json } from './json.ts';

export interface ImportedSecurity {
  readonly securityContext?: SecurityContextConfig;
  /** Whether a container runs privileged (only Pod Security "privileged" admits it). */
  readonly privileged: boolean;
  readonly notes: string[];
}

export function importSecurity(pod: Json, main: Json, patch: WorkloadPatch, where: string): ImportedSecurity {
  const podContext: Json = pod.securityContext ?? {};
  const context: Json = main.securityContext ?? {};
  const notes: string[] = [];
  const runAsUser = context.runAsUser ?? podContext.runAsUser;
  const runAsGroup = context.runAsGroup ?? podContext.runAsGroup;
  const add: string[] = (context.capabilities?.add ?? []).map((capability: string) => capability.replace(/^CAP_/, ''));
  const security: Json = {
    ...(runAsUser !== undefined && { runAsUser }),
    ...(runAsGroup !== undefined && { runAsGroup }),
    ...(podContext.fsGroup !== undefined && { fsGroup: podContext.fsGroup }),
    ...(context.readOnlyRootFilesystem !== true && { readOnlyRootFilesystem: false }),
    ...(context.allowPrivilegeEscalation === true && { allowPrivilegeEscalation: true }),
    ...(add.length > 0 && { capabilities: { add } }),
  };
  if (runAsUser === undefined)
    notes.push(`${where}: upstream runs as the image's user; dynenv runs it as 65532 (set securityContext.runAsUser if the image needs another)`);
  if (context.readOnlyRootFilesystem !== true) {
    notes.push(
      `${where}: upstream's root file system is writable, so securityContext.readOnlyRootFilesystem: false; make the paths it writes volumes and drop it`,
    );
  }
  let privileged = false;
  const containers: Array<['containers' | 'initContainers', Json]> = [
    ['containers', main],
    ...((pod.initContainers ?? []) as Json[]).map((container) => ['initContainers', container] as ['initContainers', Json]),
  ];
  for (const [list, container] of containers) {
    if (container.securityContext?.privileged !== true) continue;
    privileged = true;
    // Kubernetes refuses privileged with allowPrivilegeEscalation false; a privileged container that ran as the
    // image's user (root) needs root again, as dynenv's pods run as non-root.
    const root = container.securityContext.runAsUser === undefined && (list === 'initContainers' || runAsUser === undefined);
    patch.container(list, container.name, {
      securityContext: { privileged: true, allowPrivilegeEscalation: true, ...(root && { runAsUser: 0, runAsNonRoot: false }) },
    });
    notes.push(`${where}: container ${container.name} runs privileged: carried by the patch, and only Pod Security "privileged" admits it`);
  }
  return { ...(Object.keys(security).length > 0 && { securityContext: security as SecurityContextConfig }), privileged, notes };
}
