/** Every rule of `dynenv validate`, in the order their findings are reported within an object. */
import type { Rule } from '../rule.ts';
import { applicationSetParametersRule } from './applicationset-parameters.ts';
import { acmeSolverRule, ingressClassRule, networkPolicyEnforcementRule, servicePortRule, storageClassRule } from './cluster-requirements.ts';
import { readinessProbeRule, resourcesRule } from './containers.ts';
import { credentialsRule } from './credentials.ts';
import { defaultDenyRule, dnsEgressRule } from './default-deny.ts';
import { ingressBackendsRule } from './ingress-backends.ts';
import { namesRule } from './names.ts';
import { kustomizeExtensionsRule } from './kustomize-extensions.ts';
import { namespacesRule } from './namespaces.ts';
import { objectReferencesRule } from './object-references.ts';
import { objectSizesRule } from './object-sizes.ts';
import { openEgressRule } from './open-egress.ts';
import { patchTargetsRule } from './patch-targets.ts';
import { pinnedImagesRule } from './pinned-images.ts';
import { pluginConfigRule } from './plugin-config.ts';
import { podSecurityLabelsRule } from './pod-security-labels.ts';
import { capabilitiesRule, hostNamespacesRule, hostPathRule, privilegedRule } from './privileges.ts';
import { schemaRule } from './schema.ts';
import { runOnceJobsRule } from './run-once-jobs.ts';
import { serviceAddressesRule } from './service-addresses.ts';
import { serviceSelectorsRule } from './service-selectors.ts';
import { syncDeadlineRule, syncRerunRule } from './sync-hooks.ts';
import { syncOrderRule } from './sync-order.ts';
import { talksToAllowFromRule } from './talks-to-allow-from.ts';

export const RULES: readonly Rule[] = [
  schemaRule,
  namesRule,
  namespacesRule,
  kustomizeExtensionsRule,
  podSecurityLabelsRule,
  privilegedRule,
  hostNamespacesRule,
  hostPathRule,
  capabilitiesRule,
  credentialsRule,
  objectSizesRule,
  patchTargetsRule,
  serviceSelectorsRule,
  ingressBackendsRule,
  serviceAddressesRule,
  talksToAllowFromRule,
  objectReferencesRule,
  syncOrderRule,
  syncRerunRule,
  syncDeadlineRule,
  runOnceJobsRule,
  resourcesRule,
  readinessProbeRule,
  pinnedImagesRule,
  defaultDenyRule,
  dnsEgressRule,
  openEgressRule,
  networkPolicyEnforcementRule,
  storageClassRule,
  ingressClassRule,
  acmeSolverRule,
  servicePortRule,
  applicationSetParametersRule,
  pluginConfigRule,
];
