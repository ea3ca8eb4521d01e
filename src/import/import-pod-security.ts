/**
 * The Pod Security level of each environment for the imported pods. dynenv's "restricted" is never weakened
 * silently: dev, staging and prod get the level their pods need, and the import says so. A preview's level is
 * only what the pods it runs need: the workloads its fence refuses (previewRefusals) are left out of previews, so a
 * pull request's namespace is never raised to admit a privileged pod.
 */
import { admits, elevatedSettings } from '../config/pod-security-level.ts';
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import type { ServiceConfig } from '../config/service-schema.ts';
import type { ImportedWorkload } from './import-workload.ts';

export interface PodSecurityDecision {
  /** The level of dev, staging and prod (every imported workload runs there). */
  readonly pinned: PodSecurityLevel;
  /** The level of previews (the workloads left out of them do not count). */
  readonly preview: PodSecurityLevel;
  /** What the header of dynenv.yaml says about it; none when every environment stays "restricted". */
  readonly notes: string[];
}

/**
 * Decides the levels and adds a note to each workload that needs more than "restricted".
 * @param workloads the imported workloads by name
 * @param leftOutOfPreviews the names of the workloads previews leave out
 */
export function decidePodSecurity(workloads: ReadonlyMap<string, ImportedWorkload>, leftOutOfPreviews: ReadonlySet<string>): PodSecurityDecision {
  let pinned: PodSecurityLevel = 'restricted';
  let preview: PodSecurityLevel = 'restricted';
  for (const [name, result] of workloads) {
    const needed = result.privileged
      ? 'privileged'
      : elevatedSettings(result.service as unknown as ServiceConfig).reduce<PodSecurityLevel>(
          (max, setting) => (admits(max, setting.level) ? max : setting.level),
          'restricted',
        );
    if (needed === 'restricted') continue;
    if (!admits(pinned, needed)) pinned = needed;
    const inPreviews = !leftOutOfPreviews.has(name);
    if (inPreviews && !admits(preview, needed)) preview = needed;
    result.notes.push(
      `${name}: needs Pod Security "${needed}", so ${inPreviews ? 'every environment is' : 'dev, staging and prod are'} set to it (environments.<env>.podSecurity)`,
    );
  }
  const notes: string[] = [];
  if (pinned !== 'restricted') {
    const where = preview === pinned ? 'environments.*.podSecurity is' : 'environments.{dev,staging,prod}.podSecurity is';
    notes.push(`Pod Security: the imported pods need "${pinned}", so ${where} "${pinned}" instead of dynenv's "restricted"`);
  }
  if (leftOutOfPreviews.size > 0) {
    notes.push(
      `Previews leave out ${[...leftOutOfPreviews].join(', ')} (environments.preview.services.<svc>.enabled: false): a preview's fence refuses what ` +
        `${leftOutOfPreviews.size > 1 ? 'they need' : 'it needs'} at any Pod Security level, so previews stay at "${preview}"`,
    );
  }
  return { pinned, preview, notes };
}
