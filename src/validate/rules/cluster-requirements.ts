/**
 * What the tree needs from the cluster and cannot show: a network plugin that enforces its NetworkPolicies, a
 * StorageClass for claims that name none, an IngressClass for Ingresses that name none, cert-manager solving
 * challenges in a way the quota admits, and (on EKS) Services whose port is the container port. Each is a warning
 * naming the dynenv.yaml setting that says it, so a configuration that states its cluster validates clean.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import type { ClusterFacts } from '../cluster-facts.ts';
import { finding, type Finding } from '../finding.ts';
import { objectsOfKind } from '../kinds.ts';
import { asArray, asRecord, asString, asStringMap, valueAt } from '../object-access.ts';
import type { Scope } from '../render.ts';
import type { Rule } from '../rule.ts';

const CERT_MANAGER_ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

/** Every object of one group and kind in the environment overlays, with its scope. */
function inEnvironments(scopes: readonly Scope[], group: string, kind: string): Array<{ scope: Scope; object: KubernetesObject }> {
  return scopes.filter((scope) => scope.environment).flatMap((scope) => objectsOfKind(scope.objects, group, kind).map((object) => ({ scope, object })));
}

export const networkPolicyEnforcementRule: Rule = {
  id: 'network-policy-enforcement',
  summary: "an environment's NetworkPolicies only fence it where the network plugin enforces them: cluster.networkPolicyEnforced says so",
  check(tree, { cluster }) {
    if (cluster.networkPolicyEnforced === true) return [];
    return tree.scopes
      .filter((scope) => scope.environment && objectsOfKind(scope.objects, 'networking.k8s.io', 'NetworkPolicy').length > 0)
      .map((scope) => {
        const absent = cluster.networkPolicyEnforced === false;
        const how = cluster.profile.networkPolicy.howToEnable ?? 'a network plugin that enforces NetworkPolicy';
        return finding(
          'network-policy-enforcement',
          { scope: scope.name, object: { kind: 'NetworkPolicy', metadata: {} } },
          absent
            ? `${scope.name}'s NetworkPolicies are not enforced on this cluster (cluster.networkPolicyEnforced: false): every fence of the environment is absent`
            : `${scope.name}'s NetworkPolicies are its fence, and only a network plugin that enforces NetworkPolicy applies them; dynenv cannot see whether this cluster's does`,
          `${absent ? 'enable' : 'make sure of'} it (on ${cluster.profile.title}: ${how}), then say so: "cluster.networkPolicyEnforced: true" in dynenv.yaml`,
          'warning',
        );
      });
  },
};

export const storageClassRule: Rule = {
  id: 'storage-class',
  summary: 'a volume claim without a StorageClass binds only where the cluster has a default one: cluster.storageClassName names it',
  check(tree, { cluster }) {
    if (cluster.defaultStorageClass === 'present') return [];
    return tree.scopes.filter((scope) => scope.environment).flatMap((scope) => claimsWithoutClass(scope).map((claim) => storageFinding(scope, claim, cluster)));
  },
};

/** PersistentVolumeClaims and StatefulSet claim templates that name no StorageClass, with where that is. */
function claimsWithoutClass(scope: Scope): Array<{ object: KubernetesObject; path: PropertyKey[] }> {
  const claims = objectsOfKind(scope.objects, '', 'PersistentVolumeClaim')
    .filter((claim) => valueAt(claim, ['spec', 'storageClassName']) === undefined)
    .map((object) => ({ object, path: ['spec', 'storageClassName'] as PropertyKey[] }));
  const templates = objectsOfKind(scope.objects, 'apps', 'StatefulSet').flatMap((statefulSet) =>
    asArray(valueAt(statefulSet, ['spec', 'volumeClaimTemplates'])).flatMap((template, index) =>
      valueAt(template, ['spec', 'storageClassName']) === undefined
        ? [{ object: statefulSet, path: ['spec', 'volumeClaimTemplates', index, 'spec', 'storageClassName'] as PropertyKey[] }]
        : [],
    ),
  );
  return [...claims, ...templates];
}

function storageFinding(scope: Scope, claim: { object: KubernetesObject; path: PropertyKey[] }, cluster: ClusterFacts): Finding {
  const absent = cluster.defaultStorageClass === 'absent';
  return finding(
    'storage-class',
    { scope: scope.name, object: claim.object, path: claim.path },
    absent
      ? `names no StorageClass, and ${cluster.profile.title} has no default one (EKS 1.30+): the claim stays Pending, the ${claim.object.kind} never becomes ready and the sync waits on it`
      : 'names no StorageClass, so it binds only if the cluster has a default StorageClass, which dynenv cannot see (EKS 1.30+ has none: the claim would stay Pending and the sync wait on it)',
    'name the StorageClass: "cluster.storageClassName" in dynenv.yaml (for the preview database also "preview.database.storageClassName")',
    'warning',
  );
}

export const ingressClassRule: Rule = {
  id: 'ingress-class',
  summary: 'an Ingress without an IngressClass is served only by a default one: cluster.ingressClassName names it',
  check(tree, { cluster }) {
    // The GKE Ingress controller serves Ingresses that name no class: that is the path the gke profiles take.
    if (cluster.ingressClassName !== undefined || cluster.profile.platform === 'gke' || cluster.profile.platform === 'gke-autopilot') return [];
    return inEnvironments(tree.scopes, 'networking.k8s.io', 'Ingress')
      .filter(
        ({ object }) =>
          valueAt(object, ['spec', 'ingressClassName']) === undefined && object.metadata.annotations?.['kubernetes.io/ingress.class'] === undefined,
      )
      .map(({ scope, object }) =>
        finding(
          'ingress-class',
          { scope: scope.name, object, path: ['spec', 'ingressClassName'] },
          'names no IngressClass, so only a default IngressClass serves it, which dynenv cannot see (without one, no controller routes its host)',
          'name the class: "cluster.ingressClassName" in dynenv.yaml (the ingress controller\'s IngressClass, e.g. "nginx")',
          'warning',
        ),
      );
  },
};

export const acmeSolverRule: Rule = {
  id: 'acme-solver',
  summary:
    'a cert-manager issuer solving HTTP-01 must use a ClusterIP solver Service (the quota forbids NodePorts): cluster.certManager.solver says how it solves',
  check(tree, { cluster }) {
    if (cluster.acmeSolver !== undefined) return [];
    return inEnvironments(tree.scopes, 'networking.k8s.io', 'Ingress').flatMap(({ scope, object }) => {
      const annotation = CERT_MANAGER_ISSUER_ANNOTATIONS.find((key) => object.metadata.annotations?.[key] !== undefined);
      if (annotation === undefined) return [];
      return [
        finding(
          'acme-solver',
          { scope: scope.name, object, path: ['metadata', 'annotations', annotation] },
          `cert-manager issues this certificate through "${object.metadata.annotations![annotation]}"; if it solves HTTP-01, its solver Service is a NodePort by default, which the quota refuses (services.nodeports: 0), so issuance and every renewal fail`,
          'set "serviceType: ClusterIP" in the issuer\'s http01.ingress solver (or solve with DNS-01), then say which: "cluster.certManager.solver: http01" (or "dns01") in dynenv.yaml',
          'warning',
        ),
      ];
    });
  },
};

export const servicePortRule: Rule = {
  id: 'service-port',
  summary: "where the network plugin's policy engine needs it (EKS VPC CNI), a Service's port equals the container port it targets",
  check(tree, { cluster }) {
    if (!cluster.profile.servicePortMustMatchContainerPort) return [];
    return inEnvironments(tree.scopes, '', 'Service').flatMap(({ scope, object: service }) =>
      asArray(valueAt(service, ['spec', 'ports'])).flatMap((entry, index) => {
        const port = asRecord(entry);
        const target = containerPortOf(scope, service, port?.targetPort ?? port?.port);
        if (port === undefined || target === undefined || target === port.port) return [];
        return [
          finding(
            'service-port',
            { scope: scope.name, object: service, path: ['spec', 'ports', index, 'port'] },
            `port ${String(port.port)} forwards to container port ${target}: on ${cluster.profile.title} the VPC CNI's network policy engine needs a Service's port to be the container port, or its policies drop the traffic`,
            `expose the Service on port ${target} (and call it there), or use another policy engine`,
            'warning',
          ),
        ];
      }),
    );
  },
};

/** The container port a Service port targets (by number or by name) on the pods it selects; undefined if unknown. */
function containerPortOf(scope: Scope, service: KubernetesObject, target: unknown): number | undefined {
  if (typeof target === 'number') return target;
  const name = asString(target);
  const selector = asStringMap(valueAt(service, ['spec', 'selector']));
  if (name === undefined || Object.keys(selector).length === 0) return undefined;
  for (const workload of scope.objects.filter((object) => ['Deployment', 'StatefulSet'].includes(object.kind))) {
    const labels = asStringMap(valueAt(workload, ['spec', 'template', 'metadata', 'labels']));
    if (!Object.entries(selector).every(([key, value]) => labels[key] === value)) continue;
    for (const container of asArray(valueAt(workload, ['spec', 'template', 'spec', 'containers']))) {
      for (const declared of asArray(asRecord(container)?.ports)) {
        const port = asRecord(declared);
        if (port?.name === name && typeof port.containerPort === 'number') return port.containerPort;
      }
    }
  }
  return undefined;
}
