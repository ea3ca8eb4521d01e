/**
 * The images dynenv.yaml says staging and prod run by tag on purpose, with why and what to do: a service this
 * repository builds that was never promoted there (it runs the tag its `image` names until `dynenv promote` pins a
 * digest), and a third-party image written with a tag only. `validate` reports them as warnings, not errors: the
 * tree is honest about them, and the warning stays until the digest is pinned.
 */
import { PINNED_ENVIRONMENTS, type Config } from '../config/schema.ts';
import { formatImageReference, resolveImage } from '../config/image-reference.ts';
import { enabledServices, resolveService } from '../config/resolve.ts';

export interface UnpinnedImage {
  /** Why this tag runs here. */
  readonly reason: string;
  /** What pins it, for the workload named `name` (a service of that image, or another workload running it). */
  fix(name: string | undefined): string;
}

/** By environment (staging, prod), the image references that may run by tag, as the rendered containers hold them. */
export type UnpinnedImages = ReadonlyMap<string, ReadonlyMap<string, UnpinnedImage>>;

export const NO_UNPINNED_IMAGES: UnpinnedImages = new Map();

export function unpinnedImages(config: Config): UnpinnedImages {
  const byEnvironment = new Map<string, Map<string, UnpinnedImage>>();
  for (const envName of PINNED_ENVIRONMENTS) {
    const allowed = new Map<string, UnpinnedImage>();
    const sharing = new Map<string, string[]>();
    for (const service of enabledServices(config, envName)) {
      const resolved = resolveService(config, envName, service);
      const { image } = resolved;
      if (image.builtHere && resolved.pin === undefined && image.tag !== undefined) {
        const key = formatImageReference(image);
        const services = [...(sharing.get(key) ?? []), service.name];
        sharing.set(key, services);
        allowed.set(key, {
          reason: `not promoted to ${envName} yet: the tag its image names in dynenv.yaml (${image.tag}) runs until a digest is pinned`,
          fix: (name) =>
            `pin a digest: npx dynenv promote --service ${name !== undefined && services.includes(name) ? name : services[0]} --to ${envName}` +
            (envName === 'staging' ? ' --digest sha256:<digest CI built>' : ''),
        });
      }
      const thirdParty = [service, ...service.initContainers].map((container) => resolveImage(container.image, container.builtHere));
      for (const reference of thirdParty) {
        if (reference.builtHere || reference.digest !== undefined) continue;
        allowed.set(reference.reference, {
          reason: 'a third-party image written with a tag only in dynenv.yaml',
          fix: () => `pin its digest in dynenv.yaml: image: ${reference.reference}@sha256:<digest>`,
        });
      }
    }
    byEnvironment.set(envName, allowed);
  }
  return byEnvironment;
}
