/**
 * A small, healthy GitOps tree for the validator's tests: one overlay (`prod`, namespace shop-prod) with a
 * Deployment, its Service, ServiceAccount, ConfigMap and Ingress, a default-deny and a DNS NetworkPolicy; and an
 * argocd scope with the preview ApplicationSet and its plugin ConfigMap. It passes every rule (a test says so),
 * so each rule's tests break exactly one thing in a fresh copy.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { Finding } from '../../src/validate/finding.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../contract/plugin-parameters.ts';
import type { RenderedTree, Scope } from '../../src/validate/render.ts';
import { expect, it } from 'vitest';
import { UNKNOWN_CLUSTER } from '../../src/validate/cluster-facts.ts';
import type { Rule, RuleContext } from '../../src/validate/rule.ts';

export const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** The prod overlay's own objects, as they are written before Kustomize adds the namespace. */
export const OVERLAY_YAML = `
apiVersion: v1
kind: Namespace
metadata: { name: shop-prod, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: api }
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: { name: api-config }
data: { LOG_LEVEL: warn }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: { app.kubernetes.io/name: api }
spec:
  replicas: 2
  selector:
    matchLabels: { app.kubernetes.io/name: api }
  template:
    metadata:
      labels: { app.kubernetes.io/name: api }
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: ghcr.io/acme/api@${DIGEST}
          ports: [{ name: http, containerPort: 8080 }]
          envFrom: [{ configMapRef: { name: api-config } }]
          readinessProbe: { httpGet: { path: /healthz, port: http } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
---
apiVersion: v1
kind: Service
metadata: { name: api }
spec:
  selector: { app.kubernetes.io/name: api }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: api }
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: api, port: { number: 80 } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
      ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]
`;

/** The argocd folder's objects: the preview ApplicationSet and the plugin's ConfigMap. */
export const ARGOCD_YAML = `
apiVersion: v1
kind: ConfigMap
metadata: { name: dynenv-plugin }
data:
  baseUrl: http://dynenv-plugin.argocd.svc:4355
  token: $dynenv-plugin-token:token
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: shop-previews }
spec:
  goTemplate: true
  goTemplateOptions: [missingkey=error]
  generators:
    - plugin:
        configMapRef: { name: dynenv-plugin }
        input: { parameters: { repo: acme/shop } }
        requeueAfterSeconds: 180
  template:
    metadata:
      name: 'pr-{{ .number }}'
      labels: { dynenv.io/branch: '{{ .branch_slug }}' }
    spec:
      project: shop-previews
      source:
        repoURL: https://github.com/acme/shop.git
        targetRevision: '{{ .head_sha }}'
        path: gitops/overlays/preview
        kustomize:
          namespace: '{{ .namespace }}'
          images: ['ghcr.io/acme/api:sha-{{ .head_sha }}']
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{ .namespace }}'
      syncPolicy:
        automated: { prune: true, selfHeal: true }
`;

/** The objects of a YAML stream. */
export function objectsOf(yaml: string): KubernetesObject[] {
  return parseAllDocuments(yaml).map((document) => document.toJS() as KubernetesObject);
}

/** `objects` with the namespace set, as Kustomize's `namespace:` sets it (not on cluster-scoped Namespaces). */
function inNamespace(objects: KubernetesObject[], namespace: string): KubernetesObject[] {
  return objects.map((object) => (object.kind === 'Namespace' ? object : { ...object, metadata: { ...object.metadata, namespace } }));
}

export function prodScope(): Scope {
  return {
    name: 'prod',
    directory: 'gitops/overlays/prod',
    environment: true,
    namespace: 'shop-prod',
    objects: inNamespace(objectsOf(OVERLAY_YAML), 'shop-prod'),
  };
}

export function argocdScope(): Scope {
  return { name: 'argocd', directory: 'gitops/argocd', environment: false, namespace: 'argocd', objects: inNamespace(objectsOf(ARGOCD_YAML), 'argocd') };
}

/** A tree whose scopes tests may replace. */
export type FixtureTree = RenderedTree & { scopes: Scope[] };

/** A fresh healthy tree (prod and argocd), safe to mutate. */
export function healthyTree(): FixtureTree {
  return { directory: 'gitops', scopes: [prodScope(), argocdScope()], findings: [] };
}

/** The one object of `kind` named `name` in the tree's scope `scope`, typed loosely so tests can break it. */
export function objectIn(tree: RenderedTree, scope: string, kind: string, name: string): any {
  const object = tree.scopes
    .find((candidate) => candidate.name === scope)
    ?.objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`no ${kind}/${name} in ${scope}`);
  return object;
}

/**
 * What the healthy tree relies on: the plugin's token Secret, created by hand, and a cluster whose configuration
 * states what the tree needs from it (NetworkPolicy enforcement, a default StorageClass, the IngressClass, HTTP-01).
 */
export const CONTEXT: RuleContext = {
  external: { secrets: ['dynenv-plugin-token'], configMaps: [], serviceAccounts: [] },
  pluginParameterKeys: PLUGIN_PARAMETER_KEYS,
  cluster: { ...UNKNOWN_CLUSTER, networkPolicyEnforced: true, defaultStorageClass: 'present', ingressClassName: 'nginx', acmeSolver: 'http01' },
};

/** Runs one rule and returns its findings as one line each: `scope kind/name path: message`. */
export async function lines(rule: Rule, tree: RenderedTree, context: RuleContext = CONTEXT): Promise<string[]> {
  return (await rule.check(tree, context)).map(line);
}

export function line(item: Finding): string {
  const object = item.kind === undefined ? '' : item.name === undefined ? ` ${item.kind}` : ` ${item.kind}/${item.name}`;
  return `${item.severity} ${item.scope}${object}${item.path ? ` ${item.path}` : ''}: ${item.message}`;
}

/** Adds objects (written as YAML) to scope `scope` of `tree`. */
export function addObjects(tree: FixtureTree, scope: string, yaml: string): void {
  const index = tree.scopes.findIndex((candidate) => candidate.name === scope);
  tree.scopes[index] = { ...tree.scopes[index]!, objects: [...tree.scopes[index]!.objects, ...objectsOf(yaml)] };
}

/** Removes the object of `kind` named `name` from scope `scope` of `tree`. */
export function removeObject(tree: FixtureTree, scope: string, kind: string, name: string): void {
  const index = tree.scopes.findIndex((candidate) => candidate.name === scope);
  const objects = tree.scopes[index]!.objects.filter((object) => !(object.kind === kind && object.metadata.name === name));
  tree.scopes[index] = { ...tree.scopes[index]!, objects };
}

/** One way of breaking the healthy tree, and the findings (as `lines`) a rule must report for it. */
export interface Breakage {
  readonly name: string;
  readonly breaks: (tree: FixtureTree) => void;
  readonly expected: readonly string[];
}

/** Declares the tests every rule has: the healthy tree passes it, and each breakage is reported as expected. */
export function itReportsEachBreakage(rule: Rule, breakages: readonly Breakage[]): void {
  it('passes the healthy tree', async () => {
    expect(await lines(rule, healthyTree())).toEqual([]);
  });
  it.each(breakages)('reports $name', async ({ breaks, expected }) => {
    const tree = healthyTree();
    breaks(tree);
    expect(await lines(rule, tree)).toEqual(expected);
  });
}

/** Writes the fixture tree as Kustomize folders: overlays/prod and argocd, each with its kustomization. */
export async function writeFixtureTree(directory: string, overlayYaml = OVERLAY_YAML, argocdYaml = ARGOCD_YAML): Promise<void> {
  const folders = [
    { folder: 'overlays/prod', namespace: 'shop-prod', yaml: overlayYaml },
    { folder: 'argocd', namespace: 'argocd', yaml: argocdYaml },
  ];
  for (const { folder, namespace, yaml } of folders) {
    await mkdir(path.join(directory, folder), { recursive: true });
    await writeFile(path.join(directory, folder, 'objects.yaml'), yaml);
    await writeFile(
      path.join(directory, folder, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\nresources: [objects.yaml]\n`,
    );
  }
}
