/**
 * The sync simulation on hand-made trees: each one a way a first sync stalls or fails in a real cluster, reported
 * with what the user sees and what to change (messages pinned); and the ways that work, which pass.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/validate/finding.ts';
import type { Rule } from '../../../src/validate/rule.ts';
import { objectReferencesRule } from '../../../src/validate/rules/object-references.ts';
import { syncOrderRule } from '../../../src/validate/rules/sync-order.ts';
import { type FixtureTree, CONTEXT, DIGEST, addObjects, healthyTree, line, objectIn, objectsOf, removeObject } from '../fixtures.ts';

/** A Job in the prod overlay: a hook when `annotations` say so, running as ServiceAccount api with `pod` merged in. */
function job(name: string, annotations: Record<string, string>, pod: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
      ...spec,
      template: {
        spec: {
          serviceAccountName: 'api',
          restartPolicy: 'Never',
          containers: [{ name, image: `ghcr.io/acme/api@${DIGEST}`, envFrom: [{ configMapRef: { name: 'api-config' } }] }],
          ...pod,
        },
      },
    },
  });
}

const SYNC_HOOK = { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'dynenv.io/idempotent': 'true' };
const wave = (value: number) => ({ 'argocd.argoproj.io/sync-wave': String(value) });
const migrate = (pod: Record<string, unknown> = {}) => job('api-migrate', { ...SYNC_HOOK, ...wave(-5) }, pod);

/** The fence's half: the Job that creates the database Secret, as its own ServiceAccount, in wave -9. */
const FENCE_CREDENTIALS = `${JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'database-credentials', annotations: wave(-10) } })}
---
${job('api-database-credentials', { ...SYNC_HOOK, ...wave(-9), 'dynenv.io/creates': 'Secret/api-database' }, { serviceAccountName: 'database-credentials', containers: [{ name: 'create', image: `ghcr.io/acme/dynenv@${DIGEST}` }] })}`;

/** The fixture's ServiceAccount and ConfigMap moved to wave -7, before any hook (what dynenv synthesizes). */
function configurationFirst(tree: FixtureTree): void {
  for (const [kind, name] of [
    ['ServiceAccount', 'api'],
    ['ConfigMap', 'api-config'],
  ]) {
    objectIn(tree, 'prod', kind!, name!).metadata.annotations = wave(-7);
  }
}

/** Moves the prod Namespace and `yaml` into a second overlay, prod-fence: another Application in the same namespace. */
function addFence(tree: FixtureTree, yaml: string): void {
  const namespace = objectIn(tree, 'prod', 'Namespace', 'shop-prod');
  removeObject(tree, 'prod', 'Namespace', 'shop-prod');
  const objects = objectsOf(yaml).map((object) => ({ ...object, metadata: { ...object.metadata, namespace: 'shop-prod' } }));
  tree.scopes.splice(1, 0, {
    name: 'prod-fence',
    directory: 'gitops/overlays/prod-fence',
    environment: true,
    namespace: 'shop-prod',
    objects: [namespace, ...objects],
  });
}

const show = (item: Finding) => `${line(item)}\n  fix: ${item.fix}`;

async function report(tree: FixtureTree, rules: readonly Rule[] = [syncOrderRule]): Promise<string[]> {
  const findings: Finding[] = [];
  for (const rule of rules) findings.push(...(await rule.check(tree, CONTEXT)));
  return findings.map(show);
}

interface Case {
  readonly name: string;
  readonly tree: (tree: FixtureTree) => void;
  readonly rules?: readonly Rule[];
  readonly expected: readonly string[];
}

const BROKEN: readonly Case[] = [
  {
    name: 'the defect of issue 15: a Sync hook in wave -5 running with a ServiceAccount and ConfigMap of wave 0',
    tree: (tree) => addObjects(tree, 'prod', migrate()),
    expected: [
      'error prod Job/api-migrate spec.template.spec.serviceAccountName: this Sync hook (wave -5) runs as ServiceAccount "api", which this Application applies only in wave 0, after the hook must have completed: on a first sync its pods are refused (serviceaccount "api" not found) until activeDeadlineSeconds (900 s) fails the Job, and with it the sync; later syncs run it with the previous ServiceAccount "api"\n' +
        '  fix: apply ServiceAccount/api before it: give it argocd.argoproj.io/sync-wave "-6" or lower, or move Job/api-migrate to a later wave than ServiceAccount/api',
      'error prod Job/api-migrate spec.template.spec.containers[0].envFrom[0].configMapRef.name: this Sync hook (wave -5) reads ConfigMap "api-config", which this Application applies only in wave 0, after the hook must have completed: on a first sync its pods wait in CreateContainerConfigError until activeDeadlineSeconds (900 s) fails the Job, and with it the sync; later syncs run it with the previous ConfigMap "api-config"\n' +
        '  fix: apply ConfigMap/api-config before it: give it argocd.argoproj.io/sync-wave "-6" or lower, or move Job/api-migrate to a later wave than ConfigMap/api-config',
    ],
  },
  {
    name: 'a ConfigMap in a later wave than the hook that mounts it',
    tree: (tree) => {
      configurationFirst(tree);
      addObjects(tree, 'prod', migrate({ volumes: [{ name: 'settings', configMap: { name: 'migrate-settings' } }] }));
      addObjects(tree, 'prod', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'migrate-settings', annotations: wave(3) }, data: {} }));
    },
    expected: [
      'error prod Job/api-migrate spec.template.spec.volumes[0].configMap.name: this Sync hook (wave -5) mounts ConfigMap "migrate-settings", which this Application applies only in wave 3, after the hook must have completed: on a first sync its pods wait in ContainerCreating (the volume cannot be mounted) until activeDeadlineSeconds (900 s) fails the Job, and with it the sync; later syncs run it with the previous ConfigMap "migrate-settings"\n' +
        '  fix: apply ConfigMap/migrate-settings before it: give it argocd.argoproj.io/sync-wave "-6" or lower, or move Job/api-migrate to a later wave than ConfigMap/migrate-settings',
    ],
  },
  {
    name: 'a PostSync hook reading a PreSync object that was removed from the tree',
    rules: [objectReferencesRule, syncOrderRule],
    tree: (tree) =>
      addObjects(
        tree,
        'prod',
        job(
          'smoke-test',
          { 'argocd.argoproj.io/hook': 'PostSync', 'dynenv.io/idempotent': 'true' },
          { containers: [{ name: 'smoke', image: `ghcr.io/acme/smoke@${DIGEST}`, envFrom: [{ configMapRef: { name: 'smoke-settings' } }] }] },
        ),
      ),
    expected: [
      'error prod Job/smoke-test spec.template.spec.containers[0].envFrom[0].configMapRef.name: refers to ConfigMap "smoke-settings", which is neither in prod nor declared external\n' +
        '  fix: add the ConfigMap to the overlay, or, when it is created outside gitops/ (by an operator, a Job or by hand), list it in dynenv.yaml under external.configMaps',
    ],
  },
  {
    name: 'a Deployment reading a Secret that only a later hook creates',
    rules: [objectReferencesRule, syncOrderRule],
    tree: (tree) => {
      addObjects(
        tree,
        'prod',
        job('issue-token', { 'argocd.argoproj.io/hook': 'PostSync', 'dynenv.io/creates': 'Secret/api-token', 'dynenv.io/idempotent': 'true' }),
      );
      objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0].env = [
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
      ];
    },
    expected: [
      'error prod Deployment/api spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: the sync waits in wave 0 for it to be healthy, but it reads Secret "api-token", which only Job/issue-token creates, a PostSync hook in wave 0, after that: on a first sync its pods wait in CreateContainerConfigError until progressDeadlineSeconds (600 s) makes the Deployment Degraded, and the sync fails\n' +
        '  fix: run Job/issue-token in an earlier wave, so that it has completed before, or move Deployment/api to a later wave than Job/issue-token',
    ],
  },
  {
    name: 'a database StatefulSet in an earlier wave than the hook that creates its Secret',
    tree: (tree) => {
      configurationFirst(tree);
      addObjects(tree, 'prod', job('api-database-credentials', { ...SYNC_HOOK, ...wave(-5), 'dynenv.io/creates': 'Secret/api-database' }));
      addObjects(
        tree,
        'prod',
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'api-postgres', annotations: wave(-8) },
          spec: {
            selector: { matchLabels: { app: 'db' } },
            template: {
              metadata: { labels: { app: 'db' } },
              spec: {
                containers: [
                  {
                    name: 'postgres',
                    image: 'postgres:16',
                    env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-database', key: 'PGPASSWORD' } } }],
                  },
                ],
              },
            },
          },
        }),
      );
    },
    expected: [
      'error prod StatefulSet/api-postgres spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: the sync waits in wave -8 for it to be healthy, but it reads Secret "api-database", which only Job/api-database-credentials creates, a Sync hook in wave -5, after that: on a first sync its pods wait in CreateContainerConfigError and the sync waits forever\n' +
        '  fix: run Job/api-database-credentials in an earlier wave, so that it has completed before, or move StatefulSet/api-postgres to a later wave than Job/api-database-credentials',
    ],
  },
  {
    name: 'a Deployment reading a PreSync hook object that Argo CD deletes when the sync succeeds',
    tree: (tree) => {
      addObjects(
        tree,
        'prod',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'feature-flags', annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } },
          data: {},
        }),
      );
      objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0].envFrom.push({ configMapRef: { name: 'feature-flags' } });
    },
    expected: [
      'error prod Deployment/api spec.template.spec.containers[0].envFrom[1].configMapRef.name: it reads ConfigMap "feature-flags", a PreSync hook that Argo CD deletes once the sync has succeeded (hook-delete-policy HookSucceeded): its pods started after that (a restart, a rollout, a new replica) wait in CreateContainerConfigError\n' +
        '  fix: make ConfigMap/feature-flags an ordinary resource (no argocd.argoproj.io/hook), or drop HookSucceeded from its hook-delete-policy',
    ],
  },
  {
    name: 'a claim the sync waits to be bound before the pod that binds it starts',
    tree: (tree) => {
      addObjects(
        tree,
        'prod',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'uploads', annotations: wave(-7) },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        }),
      );
      objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.volumes = [{ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } }];
    },
    expected: [
      'warning prod PersistentVolumeClaim/uploads: in wave -7, the sync waits for it to be Bound, but Deployment/api, its first user, starts only in wave 0: a claim of a WaitForFirstConsumer StorageClass (the default of many clusters) stays Pending until a pod uses it, and Argo CD counts Pending as Progressing, so the sync never gets there\n' +
        '  fix: give it the wave of Deployment/api: argocd.argoproj.io/sync-wave "0"',
    ],
  },
  {
    name: 'a claim that nothing provides',
    tree: (tree) => {
      configurationFirst(tree);
      addObjects(tree, 'prod', migrate({ volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'cache' } }] }));
    },
    expected: [
      'error prod Job/api-migrate spec.template.spec.volumes[0].persistentVolumeClaim.claimName: this Sync hook (wave -5) mounts PersistentVolumeClaim "cache", which nothing applies (not this Application, nor another in its namespace): its pods stay Pending (persistentvolumeclaim "cache" not found)\n' +
        '  fix: add the PersistentVolumeClaim to the overlay, in the wave of its first consumer, or use a StatefulSet volumeClaimTemplate',
    ],
  },
  {
    name: 'what the workloads need from their fence, another Application: there once it has synced',
    tree: (tree) => {
      configurationFirst(tree);
      addObjects(
        tree,
        'prod',
        migrate({ containers: [{ name: 'migrate', image: `ghcr.io/acme/api@${DIGEST}`, envFrom: [{ secretRef: { name: 'api-database' } }] }] }),
      );
      addFence(tree, FENCE_CREDENTIALS);
    },
    expected: [
      'warning prod Job/api-migrate spec.template.spec.containers[0].envFrom[0].secretRef.name: this Sync hook (wave -5) reads Secret "api-database", which is created by overlays/prod-fence, another Application that syncs on its own: until that one has synced, its pods wait in CreateContainerConfigError, and if that takes longer than activeDeadlineSeconds (900 s), the Job fails, and with it the sync\n' +
        '  fix: nothing to do when prod-fence syncs first or soon after (it normally syncs at once); if it may take longer, provide Secret "api-database" in this Application or give Job/api-migrate more time',
      'warning prod Namespace/shop-prod: this Application deploys into namespace "shop-prod", which only overlays/prod-fence creates, another Application that syncs on its own: until it has, each sync of this one fails (namespaces "shop-prod" not found) and Argo CD retries it (syncPolicy.retry); once the retries are spent, only a new commit or a manual sync tries again\n' +
        '  fix: nothing to do when prod-fence syncs first or within the retries (it normally syncs at once); otherwise sync it, then this one',
    ],
  },
];

describe('sync-order rule', () => {
  it('passes the healthy tree', async () => {
    expect(await report(healthyTree())).toEqual([]);
  });

  it.each(BROKEN)('reports $name', async ({ tree: breaks, rules, expected }) => {
    const tree = healthyTree();
    breaks(tree);
    expect(await report(tree, rules)).toEqual(expected);
  });

  it.each<Case>([
    {
      name: 'passes the migration hook once its ServiceAccount and ConfigMap sync in wave -7',
      tree: (tree) => {
        configurationFirst(tree);
        addObjects(tree, 'prod', migrate());
      },
      expected: [],
    },
    {
      name: 'passes a hook and what it needs in the same wave: Argo CD applies ServiceAccounts, Secrets, ConfigMaps and claims before Jobs',
      tree: (tree) => {
        for (const [kind, name] of [
          ['ServiceAccount', 'api'],
          ['ConfigMap', 'api-config'],
        ]) {
          objectIn(tree, 'prod', kind!, name!).metadata.annotations = wave(-5);
        }
        addObjects(tree, 'prod', migrate({ volumes: [{ name: 'scratch', persistentVolumeClaim: { claimName: 'scratch' } }] }));
        addObjects(
          tree,
          'prod',
          JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scratch', annotations: wave(-5) }, spec: {} }),
        );
      },
      expected: [],
    },
    {
      name: 'passes a PostSync hook reading a PreSync hook object: Argo CD deletes HookSucceeded hooks only once the whole sync succeeded',
      tree: (tree) => {
        addObjects(
          tree,
          'prod',
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: 'smoke-settings',
              annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
            },
          }),
        );
        addObjects(
          tree,
          'prod',
          job(
            'smoke-test',
            { 'argocd.argoproj.io/hook': 'PostSync' },
            { containers: [{ name: 'smoke', image: `ghcr.io/acme/smoke@${DIGEST}`, envFrom: [{ configMapRef: { name: 'smoke-settings' } }] }] },
          ),
        );
      },
      expected: [],
    },
    {
      name: 'warns once about the StatefulSet alone when a Secret from the fence is what an earlier wave already waited for: its health proves the Secret is there for the hook',
      tree: (tree) => {
        configurationFirst(tree);
        // Three uses of one Secret: one wait, one warning.
        const key = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: 'api-database', key: name } } });
        const reads = {
          containers: [
            { name: 'c', image: `ghcr.io/acme/api@${DIGEST}`, envFrom: [{ secretRef: { name: 'api-database' } }], env: [key('PGUSER'), key('PGPASSWORD')] },
          ],
        };
        addObjects(tree, 'prod', migrate(reads));
        addObjects(
          tree,
          'prod',
          JSON.stringify({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', annotations: wave(-8) }, spec: { template: { spec: reads } } }),
        );
        addFence(tree, FENCE_CREDENTIALS);
        // The fence's Namespace as the workloads' own too, to leave only what the StatefulSet waits for.
        addObjects(tree, 'prod', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-prod' } }));
      },
      expected: [
        'warning prod StatefulSet/db spec.template.spec.containers[0].envFrom[0].secretRef.name: the sync waits in wave -8 for it to be healthy, and it reads Secret "api-database", which is created by overlays/prod-fence, another Application that syncs on its own: until that one has synced, its pods wait in CreateContainerConfigError, and the sync waits with them\n' +
          '  fix: nothing to do when prod-fence syncs first or soon after (it normally syncs at once); if it may take longer, provide Secret "api-database" in this Application or give StatefulSet/db more time',
      ],
    },
    {
      name: 'passes a Secret the platform provides (declared external) and a ConfigMap every namespace has',
      tree: (tree) => {
        configurationFirst(tree);
        addObjects(
          tree,
          'prod',
          migrate({
            volumes: [
              { name: 'ca', configMap: { name: 'kube-root-ca.crt' } },
              { name: 'token', secret: { secretName: 'dynenv-plugin-token' } },
            ],
          }),
        );
      },
      expected: [],
    },
  ])('$name', async ({ tree: builds, expected }) => {
    const tree = healthyTree();
    builds(tree);
    expect(await report(tree)).toEqual(expected);
  });
});
