/**
 * What a promotion changes, decided from the overlays on the base branch before anything is written: for each
 * service, the digest its target environment runs, the digest it gets, and the evidence that the source
 * environment ran that digest. The rule it enforces: a digest reaches an environment only after the one before
 * it ran it (now or earlier, so a rollback to an earlier digest needs no --force), unless --force says so.
 */
import type { EnvironmentName, ServiceConfig } from '../config/schema.ts';
import { resolveImage } from '../config/image-reference.ts';
import { UserError } from '../../contract/errors.ts';
import type { ImageReference } from './image-pins.ts';
import type { PinChange } from './pin-history.ts';
import { acceptsUnverifiedDigest } from './promotion-route.ts';

/** The overlays as the base branch holds them. */
export interface OverlaySource {
  /** e.g. `origin/main`, for messages. */
  readonly label: string;
  /** Path of an environment's kustomization.yaml from the repository root. */
  file(environment: EnvironmentName): string;
  /** Its image pins at the base commit. */
  pins(environment: EnvironmentName): Promise<ReadonlyMap<string, ImageReference>>;
  /** Its pin changes up to the base commit, newest first. */
  history(environment: EnvironmentName): Promise<readonly PinChange[]>;
  /** Why the history may be incomplete (a shallow clone), added to a refusal. @default none */
  readonly historyCaveat?: string;
}

export interface PromotionRequest {
  readonly services: readonly ServiceConfig[];
  readonly target: EnvironmentName;
  readonly source: EnvironmentName;
  /** The digest to promote (`--digest`); by default each service's digest in `source`. */
  readonly digest?: string;
  /** Promote even a digest the source never ran. @default false */
  readonly force?: boolean;
}

/** How dynenv knows the source environment ran the digest. */
export type Evidence =
  | { readonly kind: 'runs'; readonly since: PinChange | undefined }
  | { readonly kind: 'ran'; readonly since: PinChange; readonly until: PinChange | undefined }
  /** The source follows a tag, which Git cannot resolve: the digest was taken on the user's word. */
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'forced' };

export interface ServicePromotion {
  readonly service: string;
  /** The image repository, the name of its `images:` entry. */
  readonly image: string;
  /** The digest the target runs now, or `tag <tag>` when it was never promoted there (it runs the tag of dynenv.yaml). */
  readonly from: string;
  readonly to: string;
  readonly evidence: Evidence;
}

export interface PromotionPlan {
  readonly target: EnvironmentName;
  readonly source: EnvironmentName;
  /** Services whose digest changes, in the order of dynenv.yaml. */
  readonly promotions: readonly ServicePromotion[];
  /** Services the target runs the requested digest of already. */
  readonly unchanged: ReadonlyArray<{ readonly service: string; readonly digest: string }>;
}

export async function planPromotion(overlays: OverlaySource, request: PromotionRequest): Promise<PromotionPlan> {
  const { target, source } = request;
  const [targetPins, sourcePins] = await Promise.all([overlays.pins(target), overlays.pins(source)]);
  const promotions: ServicePromotion[] = [];
  const unchanged: Array<{ service: string; digest: string }> = [];
  for (const service of request.services) {
    const image = resolveImage(service.image, service.builtHere);
    if (!image.builtHere) {
      throw new UserError(
        `${service.name} runs a third-party image (${service.image}) as written in every environment: pin its digest in dynenv.yaml, not by promotion`,
      );
    }
    const current = targetPins.get(image.repository);
    const where = `${overlays.file(target)} on ${overlays.label}`;
    // No entry, and a tag in dynenv.yaml: the service runs that tag here until its first promotion, which adds the entry.
    const neverPromoted = current === undefined && image.tag !== undefined;
    if (current === undefined && !neverPromoted) {
      throw new UserError(
        `${where}: images: no entry for ${image.repository} (service ${service.name}): synthesize it (npx dynenv synth), merge it, then promote`,
      );
    }
    if (current !== undefined && !('digest' in current)) {
      throw new UserError(
        `${where}: images: ${image.repository} (service ${service.name}) follows the tag ${JSON.stringify(current.tag)}, not a digest: nothing to promote`,
      );
    }
    const sourceReference = sourcePins.get(image.repository);
    const digest = request.digest ?? digestOf(sourceReference, service, image.repository, source, overlays);
    if (current !== undefined && digest === current.digest) {
      unchanged.push({ service: service.name, digest });
      continue;
    }
    const evidence = await evidenceFor(overlays, request, service, image.repository, digest, sourceReference);
    const from = current !== undefined ? current.digest : `tag ${image.tag}`;
    promotions.push({ service: service.name, image: image.repository, from, to: digest, evidence });
  }
  return { target, source, promotions, unchanged };
}

/** The digest `source` runs for `service`; a UserError when it pins none. */
function digestOf(reference: ImageReference | undefined, service: ServiceConfig, repository: string, source: EnvironmentName, overlays: OverlaySource): string {
  const where = `${overlays.file(source)} on ${overlays.label}`;
  if (reference === undefined) {
    throw new UserError(
      `${where}: images: no entry for ${repository} (service ${service.name}): ${source} has no digest to promote ` +
        `(it was never promoted there: promote it to ${source} first, or pass --digest)`,
    );
  }
  if ('tag' in reference) {
    throw new UserError(
      `${source} follows the tag ${JSON.stringify(reference.tag)} for ${service.name}, and Git cannot tell which digest that is: ` +
        'pass --digest sha256:<the digest your CI built>, or --from an environment pinned by digest',
    );
  }
  return reference.digest;
}

async function evidenceFor(
  overlays: OverlaySource,
  request: PromotionRequest,
  service: ServiceConfig,
  repository: string,
  digest: string,
  sourceReference: ImageReference | undefined,
): Promise<Evidence> {
  const { source, target } = request;
  const history = (await overlays.history(source)).filter((change) => change.image === repository);
  if (sourceReference !== undefined && 'digest' in sourceReference && sourceReference.digest === digest) {
    return { kind: 'runs', since: history.find((change) => change.current) };
  }
  const index = history.findIndex((change) => 'digest' in change.reference && change.reference.digest === digest);
  if (index >= 0) return { kind: 'ran', since: history[index]!, until: history[index - 1] };
  if (sourceReference !== undefined && 'tag' in sourceReference && acceptsUnverifiedDigest(source, target)) {
    return { kind: 'tag', tag: sourceReference.tag };
  }
  if (request.force) return { kind: 'forced' };
  const why =
    sourceReference !== undefined && 'tag' in sourceReference
      ? `${source} follows the tag ${JSON.stringify(sourceReference.tag)}, so Git cannot show that it ran ${digest}`
      : `${source} has never run ${digest} for ${service.name} (per the history of ${overlays.file(source)} on ${overlays.label}` +
        `${overlays.historyCaveat ? `; ${overlays.historyCaveat}` : ''})`;
  throw new UserError(`${why}: refusing to promote it to ${target}. Promote it to ${source} first, or pass --force to promote it anyway.`);
}
