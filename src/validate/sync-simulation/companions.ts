/**
 * The Applications that deploy into one environment's namespace. The preview is two: its fence (overlay
 * `preview-fence`, from the protected branch) and its workloads (overlay `preview`, from each pull request's head);
 * each syncs on its own, so what one needs from the other is there only once that one has synced. The pairing is
 * the one `environmentObjects` of render.ts uses: an overlay `<name>-fence` fences the overlay `<name>`.
 */
import type { RenderedTree, Scope } from '../render.ts';
import type { CompanionApplication } from './providers.ts';

const FENCE_SUFFIX = '-fence';

export function companionApplications(tree: Pick<RenderedTree, 'scopes'>, scope: Scope): CompanionApplication[] {
  if (!scope.environment) return [];
  const partner = scope.name.endsWith(FENCE_SUFFIX) ? scope.name.slice(0, -FENCE_SUFFIX.length) : `${scope.name}${FENCE_SUFFIX}`;
  return tree.scopes.filter((candidate) => candidate.environment && candidate.name === partner).map(({ name, objects }) => ({ name, objects }));
}
