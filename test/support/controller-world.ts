/**
 * The controller as it runs in a cluster, against the fake Kubernetes API: the synthesized example's
 * ApplicationSet applied there, the controller started from a kubeconfig (as `KUBECONFIG` gives it) whose user
 * holds exactly the Role the generator synthesizes for it, and nothing more.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startController, type RunningController } from '../../plugin-server/controller/main.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { FakeKubernetes, PolicyRule, StoredObject } from '../fake-kubernetes/index.ts';
import { afterEveryTest } from './after-each.ts';
import { exampleTree, objectsIn, find } from './example.ts';

/** The example's Argo CD objects, synthesized once per test file. */
let argocdObjects: Promise<KubernetesObject[]> | undefined;
export function exampleArgocdObjects(): Promise<KubernetesObject[]> {
  argocdObjects ??= exampleTree().then((tree) => objectsIn(tree, 'argocd'));
  return argocdObjects;
}

export const CONTROLLER_TOKEN = 'controller-service-account-token';

/** The ServiceAccount user of the synthesized plugin server, granted the synthesized Role in Argo CD's namespace. */
export async function grantSynthesizedRole(fake: FakeKubernetes, token = CONTROLLER_TOKEN): Promise<{ namespace: string; name: string }> {
  const objects = await exampleArgocdObjects();
  const plugin = find(objects, 'Deployment').metadata.name;
  const role = find(objects, 'Role', plugin) as unknown as { metadata: { name: string; namespace: string }; rules: PolicyRule[] };
  const binding = find(objects, 'RoleBinding', plugin) as unknown as { roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> };
  if (binding.roleRef.name !== role.metadata.name) throw new Error('the RoleBinding does not bind the Role');
  const subject = binding.subjects[0]!;
  fake.addIdentity(token, {
    user: `system:serviceaccount:${subject.namespace}:${subject.name}`,
    grants: [{ namespace: role.metadata.namespace, rules: role.rules }],
  });
  return { namespace: role.metadata.namespace, name: role.metadata.name };
}

/** Applies the example's ApplicationSet(s) to the fake, as `kubectl apply -k gitops/argocd` would. */
export async function applyExampleApplicationSets(fake: FakeKubernetes): Promise<string[]> {
  const objects = await exampleArgocdObjects();
  const sets = objects.filter((object) => object.kind === 'ApplicationSet');
  for (const set of sets) fake.store.create('applicationsets', set as unknown as StoredObject);
  return sets.map((set) => set.metadata.name).sort();
}

const kubeconfigFolders: string[] = [];
afterEveryTest(() => Promise.all(kubeconfigFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true }))));

/** Writes a kubeconfig for `fake` with `token` and returns its path (removed after the test). */
export function kubeconfigFor(fake: FakeKubernetes, token: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'dynenv-kubeconfig-'));
  kubeconfigFolders.push(folder);
  const file = path.join(folder, 'config');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: fake',
      'contexts: [{ name: fake, context: { cluster: fake, user: controller, namespace: argocd } }]',
      `clusters: [{ name: fake, cluster: { server: "${fake.url}" } }]`,
      `users: [{ name: controller, user: { token: "${token}" } }]`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Starts `dynenv controller` against `fake` on an ephemeral loopback port, configured as the Deployment does. */
export async function startControllerFor(fake: FakeKubernetes, env: Record<string, string>, token = CONTROLLER_TOKEN): Promise<RunningController> {
  const objects = await exampleArgocdObjects();
  const deployment = find(objects, 'Deployment') as any;
  const container = deployment.spec.template.spec.containers.find((c: any) => c.name === 'controller');
  const fromManifest = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  return startController(
    {
      ...fromManifest,
      DYNENV_CONTROLLER_HOST: '127.0.0.1',
      DYNENV_CONTROLLER_PORT: '0',
      KUBECONFIG: kubeconfigFor(fake, token),
      DYNENV_LOG_LEVEL: 'silent',
      ...env,
    },
    { defaultMetrics: false },
  );
}

export const SWEEP_TOKEN = 'sweep-service-account-token';

/** The sweep's ServiceAccount user, granted the synthesized Role (Argo CD's namespace) and ClusterRole. */
export async function grantSynthesizedSweepAccess(fake: FakeKubernetes, token = SWEEP_TOKEN): Promise<void> {
  const objects = await exampleArgocdObjects();
  const cronJob = find(objects, 'CronJob') as any;
  const name = cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName as string;
  const role = find(objects, 'Role', name) as unknown as { metadata: { namespace: string }; rules: PolicyRule[] };
  const clusterRole = find(objects, 'ClusterRole', name) as unknown as { rules: PolicyRule[] };
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    const binding = find(objects, kind, name) as unknown as { subjects: Array<{ name: string }> };
    if (binding.subjects[0]?.name !== name) throw new Error(`the ${kind} does not bind the sweep's ServiceAccount`);
  }
  fake.addIdentity(token, {
    user: `system:serviceaccount:${role.metadata.namespace}:${name}`,
    grants: [{ namespace: role.metadata.namespace, rules: role.rules }, { rules: clusterRole.rules }],
  });
}
