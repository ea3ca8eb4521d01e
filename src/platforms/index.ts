/** The platform profiles by name: `cluster.platform` in dynenv.yaml. */
import { AKS } from './aks.ts';
import { EKS } from './eks.ts';
import { GENERIC } from './generic.ts';
import { GKE, GKE_AUTOPILOT } from './gke.ts';
import { KIND } from './kind.ts';
import { OPENSHIFT } from './openshift.ts';
import type { PlatformName, PlatformProfile } from './platform-profile.ts';

export { PLATFORM_NAMES, type PlatformName, type PlatformProfile } from './platform-profile.ts';

export const PLATFORM_PROFILES: Readonly<Record<PlatformName, PlatformProfile>> = {
  generic: GENERIC,
  kind: KIND,
  gke: GKE,
  'gke-autopilot': GKE_AUTOPILOT,
  eks: EKS,
  aks: AKS,
  openshift: OPENSHIFT,
};
