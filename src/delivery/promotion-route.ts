/**
 * Where promotions may go. Digests move forward along dev → staging → prod; only environments pinned by
 * digest (staging, prod) are promoted to:
 *
 * - dev follows an image tag (`environments.dev.imageTag`, e.g. `main`): each CI build moves it, no pull
 *   request could keep up, and pinning it would stop it from following the branch;
 * - preview has no pins at all: the ApplicationSet sets each pull request's image.
 */
import { suggestEnvironmentName } from '../config/environment-names.ts';
import { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName } from '../config/schema.ts';
import { UsageError, UserError } from '../../contract/errors.ts';
import { closestMatch } from '../../contract/suggest.ts';

/** The order digests move in. */
export const PROMOTION_ORDER: readonly EnvironmentName[] = ['dev', 'staging', 'prod'];

/**
 * `value` of flag `flag` as an environment name; for a name that is none, a usage error listing the environments
 * the flag takes (`listed`: for `--to`, the promotion targets), with the one probably meant.
 */
export function parseEnvironment(flag: string, value: string, listed: readonly EnvironmentName[] = ENVIRONMENT_NAMES): EnvironmentName {
  if ((ENVIRONMENT_NAMES as readonly string[]).includes(value)) return value as EnvironmentName;
  const meant = suggestEnvironmentName(value);
  const hint = meant !== undefined && listed.includes(meant) ? `did you mean "${meant}"? ` : '';
  throw new UsageError(`${flag}: unknown environment ${JSON.stringify(value)} (${hint}${flag} takes ${orList(listed)})`);
}

/** `a`, `a or b`, `a, b or c` */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Where `--from` may take digests from: every environment that pins or follows one. */
export const PROMOTION_SOURCES: readonly EnvironmentName[] = ['dev', 'staging', 'prod'];

/** Refuses an environment that is not promoted to, saying why. */
export function requirePromotionTarget(target: EnvironmentName): void {
  if (PINNED_ENVIRONMENTS.includes(target)) return;
  if (target === 'preview') {
    throw new UsageError('--to preview: preview pins no images; the ApplicationSet runs each pull request with its own image. Promote to staging or prod.');
  }
  throw new UsageError(
    `--to ${target}: ${target} follows an image tag (environments.${target}.imageTag in dynenv.yaml) that every build moves; ` +
      'it is not promoted to. Promote to staging or prod.',
  );
}

/** The environment a promotion to `target` takes its digest from unless `--from` says otherwise. */
export function upstreamOf(target: EnvironmentName): EnvironmentName {
  const index = PROMOTION_ORDER.indexOf(target);
  const upstream = PROMOTION_ORDER[index - 1];
  if (index <= 0 || upstream === undefined) throw new Error(`${target} has no upstream environment`);
  return upstream;
}

/** Refuses a source that cannot hold a digest for `target`. */
export function requirePromotionSource(source: EnvironmentName, target: EnvironmentName): void {
  if (source === target) throw new UsageError(`--from ${source}: the source must differ from --to ${target}`);
  if (source === 'preview') {
    throw new UsageError('--from preview: preview pins no images (each pull request runs its own); promote from dev, staging or prod.');
  }
}

/**
 * Whether a digest may enter `target` from `source` on the user's word when `source` follows a tag, which
 * Git cannot resolve to a digest: only into the environment right after it (dev → staging), the way a
 * freshly built image enters the pipeline. Anything further (dev → prod) would skip staging.
 */
export function acceptsUnverifiedDigest(source: EnvironmentName, target: EnvironmentName): boolean {
  return PROMOTION_ORDER.indexOf(target) - PROMOTION_ORDER.indexOf(source) === 1;
}

/** `gitops/overlays/<environment>/kustomization.yaml`, from the repository root. */
export function overlayKustomization(outDir: string, environment: EnvironmentName): string {
  return `${outDir === '.' ? '' : `${outDir.replace(/\/$/, '')}/`}overlays/${environment}/kustomization.yaml`;
}

/** The usage error for `--service NAME` naming no service of the configuration, with the one probably meant. */
export function unknownServiceError(name: string | undefined, configFile: string, services: readonly { readonly name: string }[]): UserError {
  const names = services.map((service) => service.name);
  const meant = name === undefined ? undefined : closestMatch(name, names);
  const hint = meant === undefined ? `services are: ${names.join(', ')}` : `did you mean "${meant}"?`;
  return new UserError(`--service: no service ${JSON.stringify(name)} in ${configFile} (${hint})`);
}
