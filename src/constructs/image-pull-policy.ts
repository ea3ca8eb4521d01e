/**
 * The pull policy of a container whose image is pinned by digest. A digest names one image for ever, so a node
 * that holds it never needs the registry again: `IfNotPresent` lets pods restart and reschedule onto such nodes
 * during a registry outage, where `Always` would leave them in ImagePullBackOff. Tags are left to Kubernetes'
 * default (IfNotPresent, or Always for `latest`): a tag can move.
 */
import type { ImagePin } from '../config/resolve.ts';

export const DIGEST_PULL_POLICY = 'IfNotPresent';

/** `{ imagePullPolicy: 'IfNotPresent' }` for an image pinned by digest (in its reference or by the overlay), else nothing. */
export function pullPolicy(pinnedByDigest: boolean): { imagePullPolicy?: typeof DIGEST_PULL_POLICY } {
  return pinnedByDigest ? { imagePullPolicy: DIGEST_PULL_POLICY } : {};
}

/** Whether an environment runs an image by digest: the overlay pins one, or the reference itself has one. */
export function runsByDigest(image: { readonly digest?: string }, pin: ImagePin | undefined): boolean {
  return image.digest !== undefined || (pin !== undefined && 'digest' in pin);
}
