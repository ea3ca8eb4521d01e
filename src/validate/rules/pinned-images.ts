/**
 * Environments that promote (staging and prod) run images pinned by digest: a tag can be moved to another image
 * at any time, and `latest` moves by design, so a pod rescheduled tomorrow could run code nobody promoted.
 * `dynenv.yaml` already demands digests there; this checks what the rendered overlay really runs, including
 * images added by hand or by patches. An image dynenv.yaml runs by tag there on purpose (a service not promoted yet,
 * a third-party image written with a tag) is a warning that says so, until its digest is pinned.
 */
import { PINNED_ENVIRONMENTS } from '../../config/schema.ts';
import { finding } from '../finding.ts';
import { asString } from '../object-access.ts';
import { containersOf, podTemplates } from '../pod-templates.ts';
import type { Rule } from '../rule.ts';

const DIGEST = /@sha256:[0-9a-f]{64}$/;

export const pinnedImagesRule: Rule = {
  id: 'pinned-images',
  summary: `${PINNED_ENVIRONMENTS.join(' and ')} run images pinned by digest: no tag-only image, never latest`,
  check(tree, context) {
    return tree.scopes
      .filter((scope) => scope.environment && (PINNED_ENVIRONMENTS as readonly string[]).includes(scope.name))
      .flatMap((scope) =>
        podTemplates(scope.objects).flatMap((template) =>
          containersOf(template).flatMap(({ container, path }) => {
            const image = asString(container.image);
            const problem = image === undefined ? undefined : pinningProblem(image);
            if (!problem) return [];
            const declared = context.unpinnedImages?.get(scope.name)?.get(image!);
            if (declared) {
              return [
                finding(
                  'pinned-images',
                  { scope: scope.name, object: template.object, path: [...path, 'image'] },
                  `image "${image}" ${problem}: ${declared.reason}`,
                  declared.fix(template.object.metadata?.name),
                  'warning',
                ),
              ];
            }
            return [
              finding(
                'pinned-images',
                { scope: scope.name, object: template.object, path: [...path, 'image'] },
                `image "${image}" ${problem}`,
                `pin it by digest: an images: entry with digest: in ${scope.directory}/kustomization.yaml ` +
                  '(`npx dynenv promote` writes it), or image@sha256:<digest>',
              ),
            ];
          }),
        ),
      );
  },
};

/** Why `image` is not pinned by digest, or undefined when it is. */
export function pinningProblem(image: string): string | undefined {
  if (DIGEST.test(image)) return undefined;
  if (image.includes('@')) return 'has a malformed digest: expected "@sha256:" and 64 lower-case hex digits';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  if (tag === undefined) return 'has neither tag nor digest, so it runs whatever "latest" is when the pod starts';
  if (tag === 'latest') return 'runs tag "latest", which moves with every push';
  return `is pinned by tag only: tag "${tag}" can be moved to another image`;
}
