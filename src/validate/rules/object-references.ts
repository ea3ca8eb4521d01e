/**
 * A pod that mounts or reads a missing ConfigMap or Secret, or runs as a missing ServiceAccount, never starts:
 * the ReplicaSet cannot create it (ServiceAccount) or it waits in ContainerCreating (ConfigMap, Secret). Every
 * such reference must name an object of the same overlay, one a hook of it declares it creates
 * (`dynenv.io/creates`), or one declared in dynenv.yaml under `external:`.
 * References marked `optional: true` may dangle, as Kubernetes allows.
 */
import type { ExternalObjects } from '../../config/schema.ts';
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asArray, asRecord, asString } from '../object-access.ts';
import { podReferences } from '../pod-references.ts';
import { podTemplates } from '../pod-templates.ts';
import { environmentObjects, type Scope } from '../render.ts';
import { createdBy, keyOf } from '../sync-simulation/providers.ts';
import type { Rule } from '../rule.ts';

/** The kinds a pod refers to by name, and where dynenv.yaml declares the external ones. */
const REFERENCED_KINDS = {
  ConfigMap: 'configMaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceAccounts',
} as const satisfies Record<string, keyof ExternalObjects>;
type ReferencedKind = keyof typeof REFERENCED_KINDS;

/** One reference by name from an object to a ConfigMap, Secret or ServiceAccount. */
export interface ObjectReference {
  readonly kind: ReferencedKind;
  readonly name: string;
  /** Where the name is written, inside the referring object. */
  readonly path: readonly PropertyKey[];
}

export const objectReferencesRule: Rule = {
  id: 'object-reference',
  summary: 'every ConfigMap, Secret and ServiceAccount a pod or RoleBinding names is in the overlay or declared external',
  check(tree, context) {
    return tree.scopes.flatMap((scope) => {
      const environment = environmentObjects(tree, scope);
      const present = (kind: ReferencedKind, name: string) =>
        context.external[REFERENCED_KINDS[kind]].includes(name) ||
        environment.some((object) => isKind(object, '', kind) && object.metadata.name === name) ||
        // A hook that declares it creates the object (the preview's database Secret, made by its fence's Job): the
        // sync-order rule checks when.
        environment.some((object) => createdBy(object).includes(keyOf(kind, name)));
      const findings: Finding[] = [];
      for (const object of scope.objects) {
        for (const reference of referencesOf(object, scope)) {
          if (!present(reference.kind, reference.name)) findings.push(missing(object, reference, scope));
        }
      }
      return findings;
    });
  },
};

function missing(object: KubernetesObject, reference: ObjectReference, scope: Scope): Finding {
  return finding(
    'object-reference',
    { scope: scope.name, object, path: reference.path },
    `refers to ${reference.kind} "${reference.name}", which is neither in ${scope.name} nor declared external`,
    `add the ${reference.kind} to the overlay, or, when it is created outside gitops/ (by an operator, a Job or by hand), ` +
      `list it in dynenv.yaml under external.${REFERENCED_KINDS[reference.kind]}`,
  );
}

/** The references of a workload's pods, and of a RoleBinding's ServiceAccount subjects in its own namespace. */
function referencesOf(object: KubernetesObject, scope: Scope): ObjectReference[] {
  const references: ObjectReference[] = [];
  for (const template of podTemplates([object])) {
    // Claims are left to the sync-order rule: dynenv.yaml declares no external ones.
    for (const reference of podReferences(template)) if (isReferencedKind(reference.kind)) references.push({ ...reference, kind: reference.kind });
  }
  if (isKind(object, 'rbac.authorization.k8s.io', 'RoleBinding')) {
    asArray(object.subjects).forEach((value, index) => {
      const subject = asRecord(value);
      const name = asString(subject?.name);
      const namespace = asString(subject?.namespace) ?? object.metadata.namespace ?? scope.namespace;
      // A subject in another namespace (Argo CD's, say) is not this overlay's to provide.
      if (subject?.kind === 'ServiceAccount' && name && namespace === (object.metadata.namespace ?? scope.namespace)) {
        references.push({ kind: 'ServiceAccount', name, path: ['subjects', index, 'name'] });
      }
    });
  }
  return references;
}

function isReferencedKind(kind: string): kind is ReferencedKind {
  return kind in REFERENCED_KINDS;
}
