/**
 * The guardrails of every overlay, rendered with kubectl kustomize: Namespace labels, quota and container
 * defaults, network isolation, the RBAC matrix, PDBs and autoscalers, ingress TLS. A preview is two folders,
 * its workloads (overlays/preview, deployed at each pull request's head) and its fence (overlays/preview-fence,
 * deployed from the protected branch): "preview" here is both.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_MATRIX } from '../../src/constructs/access-matrix.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { dig, find } from '../support/example.ts';
import { REPO_ROOT } from '../support/workspace.ts';

const ENVIRONMENTS = ['dev', 'staging', 'prod', 'preview'] as const;
const rendered = new Map<string, KubernetesObject[]>();
const build = (folder: string) => kustomizeBuild(path.join(REPO_ROOT, 'gitops/overlays', folder));
beforeAll(async () => {
  for (const environment of ['dev', 'staging', 'prod']) rendered.set(environment, await build(environment));
  rendered.set('preview-workloads', await build('preview'));
  rendered.set('preview-fence', await build('preview-fence'));
  rendered.set('preview', [...rendered.get('preview-workloads')!, ...rendered.get('preview-fence')!]);
});
const objects = (environment: string) => rendered.get(environment)!;
const all = (environment: string, kind: string) => objects(environment).filter((object) => object.kind === kind);

describe.each(ENVIRONMENTS)('overlays/%s', (environment) => {
  it('ships a Namespace with owner, environment, managed-by and restricted Pod Security labels, synced first', () => {
    const namespace = find(objects(environment), 'Namespace');
    expect(namespace.metadata.labels).toMatchObject({
      'dynenv.io/owner': 'team-checkout',
      'dynenv.io/environment': environment,
      'app.kubernetes.io/managed-by': 'dynenv',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    // A preview's Namespace syncs with its guardrails: its workloads, another Application, wait only for the namespace.
    expect(namespace.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe(environment === 'preview' ? '-10' : '-20');
  });

  it('caps the namespace with a ResourceQuota and gives containers defaults with a LimitRange, before any pod', () => {
    const quota = find(objects(environment), 'ResourceQuota', 'environment-quota');
    expect(Object.keys(dig(quota, 'spec', 'hard')).sort()).toEqual(
      [
        'limits.memory',
        'persistentvolumeclaims',
        'pods',
        'requests.cpu',
        'requests.memory',
        'requests.storage',
        'services.loadbalancers',
        'services.nodeports',
      ].sort(),
    );
    expect(dig(quota, 'spec', 'hard', 'services.loadbalancers')).toBe(0);
    const limits = dig(find(objects(environment), 'LimitRange', 'container-defaults'), 'spec', 'limits', 0);
    expect(limits).toMatchObject({ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '256Mi' } });
    for (const object of [quota, find(objects(environment), 'LimitRange')]) {
      expect(object.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-10');
    }
  });

  it('denies all traffic, then allows the namespace, DNS to kube-system and the ingress controller to web', () => {
    const policy = (name: string) => find(objects(environment), 'NetworkPolicy', name).spec as any;
    expect(policy('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policy('allow-same-namespace')).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    expect(policy('allow-dns').egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
    expect(policy('allow-from-ingress-controller')).toEqual({
      podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] }] },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 3000 }] },
      ],
    });
  });

  it('binds each role of the access matrix to the level the matrix gives it here, and nothing else', () => {
    const bindings = all(environment, 'RoleBinding').filter((binding) => binding.metadata.name.startsWith('dynenv-'));
    const expected = Object.entries(ACCESS_MATRIX)
      .filter(([, levels]) => levels[environment] !== undefined)
      .map(([role]) => `dynenv-${role}`)
      .sort();
    expect(bindings.map((binding) => binding.metadata.name).sort()).toEqual(expected);
  });
});

describe('the access matrix', () => {
  const binding = (environment: string, role: string) => all(environment, 'RoleBinding').find((object) => object.metadata.name === `dynenv-${role}`) as any;
  const rules = (environment: string, roleName: string) => (find(objects(environment), 'Role', roleName) as any).rules as Array<any>;
  const allows = (environment: string, roleName: string, resource: string, verb: string) =>
    rules(environment, roleName).some((rule) => rule.resources.includes(resource) && rule.verbs.includes(verb));

  it('lets developers read and write pods and logs in dev and their previews', () => {
    for (const environment of ['dev', 'preview']) {
      expect(binding(environment, 'developers').subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'checkout-developers' }]);
      expect(binding(environment, 'developers').roleRef.name).toBe('dynenv-develop');
      expect(allows(environment, 'dynenv-develop', 'pods/log', 'get')).toBe(true);
      expect(allows(environment, 'dynenv-develop', 'pods', 'delete')).toBe(true);
      expect(allows(environment, 'dynenv-develop', 'pods/exec', 'create')).toBe(true);
    }
  });

  it('gives developers read-only plus port-forward in staging, and nothing in prod', () => {
    expect(binding('staging', 'developers').roleRef.name).toBe('dynenv-observe');
    expect(allows('staging', 'dynenv-observe', 'pods/portforward', 'create')).toBe(true);
    expect(allows('staging', 'dynenv-observe', 'pods', 'delete')).toBe(false);
    expect(allows('staging', 'dynenv-observe', 'pods/exec', 'create')).toBe(false);
    expect(binding('prod', 'developers')).toBeUndefined();
  });

  it('lets the CI ServiceAccount deploy only to previews', () => {
    expect(binding('preview', 'ci').subjects).toEqual([{ kind: 'ServiceAccount', name: 'checkout-ci', namespace: 'ci' }]);
    expect(allows('preview', 'dynenv-deploy', 'deployments', 'patch')).toBe(true);
    for (const environment of ['dev', 'staging', 'prod']) expect(binding(environment, 'ci'), environment).toBeUndefined();
  });

  it('lets SREs deploy and roll back in prod without reading Secrets, and nobody read Secrets through a dynenv Role', () => {
    expect(binding('prod', 'sre').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'dynenv-operate' });
    expect(allows('prod', 'dynenv-operate', 'deployments', 'patch')).toBe(true);
    expect(binding('staging', 'sre').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    for (const environment of ENVIRONMENTS) {
      for (const role of all(environment, 'Role').filter((object) => object.metadata.name.startsWith('dynenv-')) as any[]) {
        expect(
          role.rules.some((rule: any) => rule.resources.includes('secrets')),
          `${environment} ${role.metadata.name}`,
        ).toBe(false);
      }
    }
  });
});

describe('prod', () => {
  it('has a PodDisruptionBudget per service and the configured autoscaler, which owns the replica count', () => {
    expect(
      all('prod', 'PodDisruptionBudget').map((pdb: any) => [
        pdb.metadata.name,
        pdb.spec.maxUnavailable,
        pdb.spec.selector.matchLabels['app.kubernetes.io/name'],
      ]),
    ).toEqual([
      ['api', 1, 'api'],
      ['web', 1, 'web'],
      ['worker', 1, 'worker'],
    ]);
    // Staging runs two pods of each service: each gets the default budget; dev and previews run one.
    expect(all('staging', 'PodDisruptionBudget').map((pdb: any) => [pdb.metadata.name, pdb.spec.maxUnavailable])).toEqual([
      ['api', 1],
      ['web', 1],
      ['worker', 1],
    ]);
    for (const environment of ['dev', 'preview']) expect(all(environment, 'PodDisruptionBudget'), environment).toEqual([]);
    const hpa = find(objects('prod'), 'HorizontalPodAutoscaler', 'api') as any;
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(find(objects('prod'), 'Deployment', 'api').spec).not.toHaveProperty('replicas');
  });

  it('keeps its Namespace when its Application is deleted, and lets out only the configured HTTPS egress', () => {
    expect(find(objects('prod'), 'Namespace').metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Delete=false');
    expect(find(objects('staging'), 'Namespace').metadata.annotations?.['argocd.argoproj.io/sync-options']).toBeUndefined();
    expect((find(objects('prod'), 'NetworkPolicy', 'allow-egress').spec as any).egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
  });
});

describe('ingress', () => {
  it.each([
    ['dev', 'checkout.dev.example.com', 'checkout-dev-tls'],
    ['staging', 'checkout.staging.example.com', 'checkout-staging-tls'],
    ['prod', 'checkout.example.com', 'checkout-tls'],
  ])('serves %s on its host with its TLS Secret', (environment, host, secretName) => {
    const ingress = find(objects(environment), 'Ingress', 'web') as any;
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules[0].host).toBe(host);
    expect(ingress.spec.tls).toEqual([{ hosts: [host], secretName }]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
  });
});

describe('preview', () => {
  it('deploys from the pull request only workloads; everything that fences them is in overlays/preview-fence', () => {
    const kinds = (folder: string) => [...new Set(objects(folder).map((object) => object.kind))].sort();
    expect(kinds('preview-workloads')).toEqual(['ConfigMap', 'Deployment', 'Job', 'Service', 'ServiceAccount', 'StatefulSet']);
    expect(kinds('preview-fence')).toEqual([
      'Ingress',
      'Job',
      'LimitRange',
      'Namespace',
      'NetworkPolicy',
      'ResourceQuota',
      'Role',
      'RoleBinding',
      'ServiceAccount',
    ]);
    // The fence renders nothing of the base, which a pull request may change.
    expect(objects('preview-fence').filter((object) => ['Deployment', 'ConfigMap', 'Service'].includes(object.kind))).toEqual([]);
    expect(objects('preview-fence').map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'Job/api-database-credentials',
        'ServiceAccount/database-credentials',
        'Role/database-credentials',
        'NetworkPolicy/allow-api-server',
      ]),
    );
  });

  it('gets a smaller quota than staging', () => {
    const hard = (environment: string) => dig(find(objects(environment), 'ResourceQuota'), 'spec', 'hard');
    expect(hard('preview')).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.memory': '8Gi', pods: 20 });
    expect(hard('staging')).toMatchObject({ 'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '32Gi', pods: 100 });
  });

  it('runs its database, credentials, migrations and seed data in waves before the services, the seed once', () => {
    const wave = (kind: string, name: string) => find(objects('preview'), kind, name).metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    expect(wave('Job', 'api-database-credentials')).toBe('-9');
    expect(wave('StatefulSet', 'api-postgres')).toBe('-8');
    expect(wave('Job', 'api-migrate')).toBe('-5');
    expect(wave('Job', 'api-seed')).toBe('-4');
    expect(wave('Deployment', 'api')).toBeUndefined();
    // Hooks, run on every full sync: declared safe to run again.
    for (const name of ['api-database-credentials', 'api-migrate']) {
      expect(find(objects('preview'), 'Job', name).metadata.annotations).toMatchObject({
        'argocd.argoproj.io/hook': 'Sync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'dynenv.io/idempotent': 'true',
      });
    }
    // Migrations only in the hook; the seed is a plain Job, which runs once (issue 15, item 7).
    const containers = (name: string) =>
      dig(find(objects('preview'), 'Job', name), 'spec', 'template', 'spec', 'containers').map((container: any) => container.command);
    expect(containers('api-migrate')).toEqual([['/app/api', 'migrate']]);
    expect(containers('api-seed')).toEqual([['/app/api', 'seed']]);
    expect(find(objects('preview'), 'Job', 'api-seed').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-4' });
    // Both end: a pod that cannot finish fails the Job, and the sync, instead of holding it.
    for (const name of ['api-migrate', 'api-seed']) {
      expect(dig(find(objects('preview'), 'Job', name), 'spec'), name).toMatchObject({ activeDeadlineSeconds: 900, backoffLimit: 2 });
    }
    expect(all('dev', 'Job').map((job) => job.metadata.name)).toEqual(['api-migrate']);
  });

  it('reads the database from the generated Secret, never from a value in Git', () => {
    expect(all('preview', 'Secret')).toEqual([]);
    const postgres = dig(find(objects('preview'), 'StatefulSet', 'api-postgres'), 'spec', 'template', 'spec', 'containers', 0);
    expect(postgres.env.filter((variable: any) => variable.valueFrom).map((variable: any) => [variable.name, variable.valueFrom.secretKeyRef])).toEqual([
      ['POSTGRES_USER', { name: 'api-database', key: 'PGUSER' }],
      ['POSTGRES_PASSWORD', { name: 'api-database', key: 'PGPASSWORD' }],
      ['POSTGRES_DB', { name: 'api-database', key: 'PGDATABASE' }],
    ]);
    expect(dig(find(objects('preview'), 'Deployment', 'api'), 'spec', 'template', 'spec', 'containers', 0, 'envFrom')).toContainEqual({
      secretRef: { name: 'api-database' },
    });
    const job = dig(find(objects('preview'), 'Job', 'api-database-credentials'), 'spec', 'template', 'spec');
    expect(job.serviceAccountName).toBe('database-credentials');
    expect(job.containers[0].args).toEqual([
      'create-database-secret',
      '--secret=api-database',
      '--host=api-postgres',
      '--port=5432',
      '--database=api',
      '--user=api',
    ]);
    expect(job.containers[0].image).toBe('ghcr.io/example-org/dynenv:0.1.0');
    expect((find(objects('preview'), 'Role', 'database-credentials') as any).rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['api-database'] },
    ]);
    expect((find(objects('preview'), 'NetworkPolicy', 'allow-api-server').spec as any).podSelector).toEqual({
      matchLabels: { 'dynenv.io/component': 'database-credentials' },
    });
  });

  it('runs every pod it adds as non-root under the restricted Pod Security Standard', () => {
    for (const [kind, name] of [
      ['StatefulSet', 'api-postgres'],
      ['Job', 'api-database-credentials'],
      ['Job', 'api-migrate'],
      ['Job', 'api-seed'],
    ] as const) {
      const spec = dig(find(objects('preview'), kind, name), 'spec', 'template', 'spec');
      expect(spec.securityContext, name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.securityContext, `${name}/${container.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        });
      }
    }
  });
});
