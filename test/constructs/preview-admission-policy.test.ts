/**
 * The preview admission policies in gitops/argocd/, evaluated as the API server evaluates them: their CEL run by
 * a CEL library (test/support/admission.ts) against a table of attacks, each refused with a message that says
 * why, and against benign writes, each admitted — every object of a real preview, applied by Argo CD with its
 * tracking, among them. The policy objects validate against the official schema.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFile } from 'node:fs/promises';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { admit, type AdmissionRequest, type BindingObject, type PolicyObject } from '../support/admission.ts';
import { applicationsOf, renderApplication, withTracking, type TrackingMethod } from '../support/argocd-render.ts';
import { configWith, find, objectsIn } from '../support/example.ts';
import { validateObject } from '../support/schemas.ts';
import { REPO_ROOT } from '../support/workspace.ts';

const GITOPS = path.join(REPO_ROOT, 'gitops');
const CONTROLLER = 'system:serviceaccount:argocd:argocd-application-controller';
const CI = 'system:serviceaccount:ci:checkout-ci';
const NAMESPACE = 'checkout-pr-1842';
const DEVELOPER = 'alice@example.com';
const JOB_CONTROLLER = 'system:serviceaccount:kube-system:job-controller';
const CREDENTIALS_LABEL = { 'dynenv.io/component': 'database-credentials' };
const FENCE_IDENTITY_ONLY =
  "checkout-preview-pods: only a preview's fence may run pods with ServiceAccount database-credentials or the label dynenv.io/component=database-credentials: they may write Secrets and reach the API server";

interface Policies {
  policies: PolicyObject[];
  bindings: BindingObject[];
}

function policiesIn(objects: readonly KubernetesObject[]): Policies {
  return {
    policies: objects.filter((object) => object.kind === 'ValidatingAdmissionPolicy') as unknown as PolicyObject[],
    bindings: objects.filter((object) => object.kind === 'ValidatingAdmissionPolicyBinding') as unknown as BindingObject[],
  };
}

const PULL_REQUEST = {
  number: '1842',
  head_sha: '3e1f2a9c0b4d5e6f708192a3b4c5d6e7f8091a2b',
  namespace: NAMESPACE,
  url: 'https://github.com/example-org/checkout/pull/1842',
};

let committed: Policies;
/** The pull request's Namespace, as its fence Application creates it. */
let previewNamespace: KubernetesObject;
/** Every object of the pull request's preview, as Argo CD applies it (tracked by its Application). */
let previewObjects: KubernetesObject[];
beforeAll(async () => {
  const argocdFile = async (file: string) => parse(await readFile(path.join(GITOPS, 'argocd', file), 'utf8'));
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(path.join(GITOPS, 'argocd'))).filter((file) => file.startsWith('validatingadmissionpolicy'));
  committed = policiesIn(await Promise.all(files.map(argocdFile)));
  previewObjects = [];
  for (const set of ['checkout-previews', 'checkout-preview-fences']) {
    const [application] = applicationsOf(await argocdFile(`applicationset-${set}.yaml`), [PULL_REQUEST]);
    const rendered = await renderApplication(application!, { folder: GITOPS, at: 'gitops' });
    previewObjects.push(...withTracking(rendered.objects, application!));
  }
  previewNamespace = find(previewObjects, 'Namespace');
});

/** A write into the preview namespace (or of `namespaceObject`'s namespace). */
function write(object: Record<string, any>, options: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const namespaced = !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(object.kind);
  return {
    operation: 'CREATE',
    username: CI,
    ...(namespaced && { namespaceObject: previewNamespace }),
    ...options,
    object: { ...object, metadata: { ...(namespaced && { namespace: NAMESPACE }), ...object.metadata } } as AdmissionRequest['object'],
  };
}

const container = (extra: object = {}) => ({ name: 'app', image: 'ghcr.io/example-org/checkout-api:sha-1', ...extra });
const deployment = (podSpec: object, name = 'api') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container()], ...podSpec } } },
});
const ingress = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec });
const rule = (host?: string) => ({
  ...(host !== undefined && { host }),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
});
const service = (spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], ...spec } });

const messages = (request: AdmissionRequest, policies: Policies = committed) =>
  admit(policies.policies, policies.bindings, request).map((denial) => `${denial.policy}: ${denial.message}`);

describe('the preview admission policies', () => {
  it('validate against the official admissionregistration.k8s.io/v1 schema, one binding per policy', () => {
    expect(committed.policies.map((policy) => policy.metadata.name).sort()).toEqual([
      'checkout-preview-argocd-tracking',
      'checkout-preview-cluster-objects',
      'checkout-preview-ingresses',
      'checkout-preview-namespaces',
      'checkout-preview-pods',
      'checkout-preview-services',
    ]);
    for (const object of [...committed.policies, ...committed.bindings]) validateObject(object, 'gitops/argocd');
    expect(committed.bindings.map((binding) => binding.spec.policyName).sort()).toEqual(committed.policies.map((policy) => policy.metadata.name).sort());
    for (const binding of committed.bindings) expect(binding.spec.validationActions).toEqual(['Deny']);
  });

  const attacks: Array<[string, () => AdmissionRequest, string[]]> = [
    [
      'a privileged container in a Deployment',
      () => write(deployment({ containers: [container({ securityContext: { privileged: true } })] })),
      ['checkout-preview-pods: a preview namespace refuses privileged containers: app'],
    ],
    [
      'a privileged init container in a StatefulSet',
      () => write({ ...deployment({ initContainers: [container({ name: 'setup', securityContext: { privileged: true } })] }), kind: 'StatefulSet' }),
      ['checkout-preview-pods: a preview namespace refuses privileged containers: setup'],
    ],
    [
      'a privileged Pod, as a ReplicaSet controller would create it',
      () =>
        write(
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1' }, spec: { containers: [container({ securityContext: { privileged: true } })] } },
          { username: 'system:serviceaccount:kube-system:replicaset-controller' },
        ),
      ['checkout-preview-pods: a preview namespace refuses privileged containers: app'],
    ],
    [
      'a privileged ephemeral container added to a running Pod',
      () =>
        write(
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'api-1' },
            spec: { containers: [container()], ephemeralContainers: [container({ name: 'debug', securityContext: { privileged: true } })] },
          },
          { operation: 'UPDATE', subResource: 'ephemeralcontainers' },
        ),
      ['checkout-preview-pods: a preview namespace refuses privileged containers: debug'],
    ],
    [
      'hostPID',
      () => write(deployment({ hostPID: true })),
      ["checkout-preview-pods: a preview namespace refuses hostPID: a pod there must not share the node's namespaces"],
    ],
    [
      'hostIPC',
      () => write(deployment({ hostIPC: true })),
      ["checkout-preview-pods: a preview namespace refuses hostIPC: a pod there must not share the node's namespaces"],
    ],
    [
      'hostNetwork',
      () => write(deployment({ hostNetwork: true })),
      ["checkout-preview-pods: a preview namespace refuses hostNetwork: a pod there must not share the node's namespaces"],
    ],
    [
      'a hostPath volume in a CronJob',
      () =>
        write({
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'cleanup' },
          spec: {
            schedule: '@daily',
            jobTemplate: {
              spec: { template: { spec: { containers: [container()], restartPolicy: 'Never', volumes: [{ name: 'root', hostPath: { path: '/' } }] } } },
            },
          },
        }),
      ['checkout-preview-pods: a preview namespace refuses hostPath volumes: root'],
    ],
    [
      'an added SYS_ADMIN capability in a Job',
      () =>
        write({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'seed' },
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [container({ securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } } })] },
            },
          },
        }),
      ['checkout-preview-pods: a preview namespace refuses capabilities other than NET_BIND_SERVICE: app'],
    ],
    [
      'a host port in a DaemonSet',
      () => write({ ...deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }), kind: 'DaemonSet' }),
      ['checkout-preview-pods: a preview namespace refuses host ports: app'],
    ],
    [
      'an Ingress for prod’s host',
      () => write(ingress({ rules: [rule('checkout.example.com')] })),
      ["checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com), not checkout.example.com"],
    ],
    [
      "an Ingress for another pull request's host",
      () => write(ingress({ rules: [rule('pr-7.preview.example.com')] })),
      [
        "checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com), not pr-7.preview.example.com",
      ],
    ],
    [
      'an Ingress for every host of the preview domain',
      () => write(ingress({ rules: [rule('*.preview.example.com')] })),
      ["checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com), not *.preview.example.com"],
    ],
    [
      'an Ingress rule without a host, and a default backend',
      () => write(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } }, rules: [rule()] })),
      [
        "checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com): a default backend would answer for every host",
        "checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com), not (every host)",
      ],
    ],
    [
      "a TLS section claiming prod's host",
      () => write(ingress({ rules: [rule('pr-1842.preview.example.com')], tls: [{ hosts: ['checkout.example.com'], secretName: 'checkout-tls' }] })),
      ["checkout-preview-ingresses: a preview namespace's Ingress answers only on its own host (pr-<number>.preview.example.com), in its TLS section too"],
    ],
    ...(['NodePort', 'LoadBalancer', 'ExternalName'] as const).map((type): [string, () => AdmissionRequest, string[]] => [
      `a Service of type ${type}`,
      () => write(service({ type, ...(type === 'ExternalName' && { externalName: 'db.example.com' }) })),
      [`checkout-preview-services: a preview namespace refuses Services of type ${type}: only ClusterIP, reached through its Ingress`],
    ]),
    [
      'a Service with externalIPs',
      () => write(service({ externalIPs: ['203.0.113.7'] })),
      ['checkout-preview-services: a preview namespace refuses Services with externalIPs'],
    ],
    [
      'its Namespace set to the privileged Pod Security level',
      () =>
        write(
          {
            ...previewNamespace,
            metadata: { ...previewNamespace.metadata, labels: { ...previewNamespace.metadata.labels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
          },
          { operation: 'UPDATE' },
        ),
      [
        'checkout-preview-namespaces: a preview namespace enforces the "restricted" Pod Security Standard (label pod-security.kubernetes.io/enforce), which a pull request cannot change',
      ],
    ],
    [
      'its Namespace pinned to an old Pod Security version',
      () =>
        write(
          {
            ...previewNamespace,
            metadata: { ...previewNamespace.metadata, labels: { ...previewNamespace.metadata.labels, 'pod-security.kubernetes.io/enforce-version': 'v1.22' } },
          },
          { operation: 'UPDATE' },
        ),
      [
        'checkout-preview-namespaces: a preview namespace enforces the latest version of its Pod Security Standard (label pod-security.kubernetes.io/enforce-version)',
      ],
    ],
    [
      'its Namespace relabelled out of the policies’ selectors, without a Pod Security label',
      () => write({ ...previewNamespace, metadata: { name: NAMESPACE, labels: { 'dynenv.io/pull-request': '1842' } } }, { operation: 'UPDATE' }),
      [
        'checkout-preview-namespaces: a preview namespace enforces the "restricted" Pod Security Standard (label pod-security.kubernetes.io/enforce), which a pull request cannot change',
        'checkout-preview-namespaces: a preview namespace keeps the label app.kubernetes.io/part-of=checkout, which its admission policies select it by',
        'checkout-preview-namespaces: a preview namespace keeps the label app.kubernetes.io/managed-by=dynenv, which its admission policies select it by',
        'checkout-preview-namespaces: a preview namespace keeps the label dynenv.io/environment=preview, which its admission policies select it by',
      ],
    ],
    [
      "a pull request's Deployment moved into another preview's namespace by a transformer, applied by Argo CD",
      () => {
        const victim = { metadata: { name: 'checkout-pr-7', labels: { ...previewNamespace.metadata.labels, 'dynenv.io/pull-request': '7' } } };
        // Pull request 1842's own Application, whose head holds the transformer.
        const [moved] = withTracking(
          [{ ...deployment({}), metadata: { name: 'api', namespace: 'checkout-pr-7' } } as KubernetesObject],
          applicationNamed('checkout-pr-1842'),
        );
        return { ...write(moved!, { username: CONTROLLER, namespaceObject: victim }), object: moved as AdmissionRequest['object'] };
      },
      [
        "checkout-preview-argocd-tracking: Argo CD may write into a preview namespace only objects of the namespace's own preview Applications (checkout-pr-<number>, checkout-pr-<number>-fence); this one is tracked as checkout-pr-1842:apps/Deployment:checkout-pr-7/api",
      ],
    ],
    [
      "a pull request's Job that runs as the fence's database-credentials ServiceAccount, applied by Argo CD",
      () => {
        const [job] = withTracking(
          [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              metadata: { name: 'borrow' },
              spec: { template: { spec: { restartPolicy: 'Never', serviceAccountName: 'database-credentials', containers: [container()] } } },
            } as KubernetesObject,
          ],
          applicationNamed('checkout-pr-1842'),
        );
        return write(job!, { username: CONTROLLER });
      },
      [
        "checkout-preview-pods: only a preview's fence may run pods with ServiceAccount database-credentials or the label dynenv.io/component=database-credentials: they may write Secrets and reach the API server",
      ],
    ],
    [
      "a pull request's Deployment labelled as the fence's credentials pods (to reach the API server), applied by Argo CD",
      () => {
        const labelled = deployment({});
        (labelled.spec.template.metadata.labels as Record<string, string>)['dynenv.io/component'] = 'database-credentials';
        return write(withTracking([labelled as unknown as KubernetesObject], applicationNamed('checkout-pr-1842'))[0]!, { username: CONTROLLER });
      },
      [
        "checkout-preview-pods: only a preview's fence may run pods with ServiceAccount database-credentials or the label dynenv.io/component=database-credentials: they may write Secrets and reach the API server",
      ],
    ],
    [
      "a Pod CI creates with the credentials pods' label, to reach the API server (the deploy role may create Pods)",
      () => write({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', labels: CREDENTIALS_LABEL }, spec: { containers: [container()] } }),
      [`${FENCE_IDENTITY_ONLY}; ${CI} may not give them`],
    ],
    [
      'a Job a developer creates that runs as the database-credentials ServiceAccount (the develop role may create Jobs)',
      () =>
        write(
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name: 'borrow' },
            spec: { template: { spec: { restartPolicy: 'Never', serviceAccountName: 'database-credentials', containers: [container()] } } },
          },
          { username: DEVELOPER },
        ),
      [`${FENCE_IDENTITY_ONLY}; ${DEVELOPER} may not give them`],
    ],
    [
      "a Deployment CI relabels as the credentials pods' (an update that adds the label)",
      () => {
        const before = deployment({});
        const after = deployment({});
        (after.spec.template.metadata.labels as Record<string, string>)['dynenv.io/component'] = 'database-credentials';
        return write(after, { operation: 'UPDATE', oldObject: { ...before, metadata: { ...before.metadata, namespace: NAMESPACE } } });
      },
      [`${FENCE_IDENTITY_ONLY}; ${CI} may not give them`],
    ],
    [
      "a labelled Pod the ReplicaSet controller creates (only the Job controller's Pods are the fence Job's)",
      () =>
        write(
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1', labels: CREDENTIALS_LABEL }, spec: { containers: [container()] } },
          { username: 'system:serviceaccount:kube-system:replicaset-controller' },
        ),
      [`${FENCE_IDENTITY_ONLY}; system:serviceaccount:kube-system:replicaset-controller may not give them`],
    ],
    [
      "a pull request's RoleBinding moved into another preview's namespace by a transformer, applied by Argo CD",
      () => {
        const victim = { metadata: { name: 'checkout-pr-7', labels: { ...previewNamespace.metadata.labels, 'dynenv.io/pull-request': '7' } } };
        const binding = {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'take-over', namespace: 'checkout-pr-7' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }],
        };
        const [moved] = withTracking([binding as unknown as KubernetesObject], applicationNamed('checkout-pr-1842'));
        return { ...write(moved!, { username: CONTROLLER, namespaceObject: victim }), object: moved as AdmissionRequest['object'] };
      },
      [
        "checkout-preview-argocd-tracking: Argo CD may write into a preview namespace only objects of the namespace's own preview Applications (checkout-pr-<number>, checkout-pr-<number>-fence); this one is tracked as checkout-pr-1842:rbac.authorization.k8s.io/RoleBinding:checkout-pr-7/take-over",
      ],
    ],
    [
      "an object of a pull request's head turned into Namespace argocd by a transformer, applied by Argo CD",
      () => {
        const [argocd] = withTracking(
          [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } } as KubernetesObject],
          applicationNamed('checkout-pr-1842'),
        );
        return write(argocd!, { username: CONTROLLER });
      },
      [
        "checkout-preview-cluster-objects: a preview's Applications create no cluster-scoped object but the pull request's own Namespace, from its fence (checkout-pr-<number>-fence); Namespace argocd is tracked as checkout-pr-1842:/Namespace:checkout-pr-1842/argocd",
      ],
    ],
    [
      "another pull request's Namespace, from this one's workloads",
      () => {
        const [other] = withTracking(
          [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'checkout-pr-7', labels: previewNamespace.metadata.labels } } as KubernetesObject],
          applicationNamed('checkout-pr-1842'),
        );
        return write(other!, { username: CONTROLLER });
      },
      [
        "checkout-preview-cluster-objects: a preview's Applications create no cluster-scoped object but the pull request's own Namespace, from its fence (checkout-pr-<number>-fence); Namespace checkout-pr-7 is tracked as checkout-pr-1842:/Namespace:checkout-pr-1842/checkout-pr-7",
      ],
    ],
    [
      "a ClusterRoleBinding in a pull request's head, applied by Argo CD",
      () => {
        const [binding] = withTracking(
          [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: { name: 'mallory-admin' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }],
            } as unknown as KubernetesObject,
          ],
          applicationNamed('checkout-pr-1842'),
        );
        return write(binding!, { username: CONTROLLER });
      },
      [
        "checkout-preview-cluster-objects: a preview's Applications create no cluster-scoped object but the pull request's own Namespace, from its fence (checkout-pr-<number>-fence); ClusterRoleBinding mallory-admin is tracked as checkout-pr-1842:rbac.authorization.k8s.io/ClusterRoleBinding:checkout-pr-1842/mallory-admin",
      ],
    ],
    [
      'an object Argo CD writes without tracking',
      () => write(deployment({}), { username: CONTROLLER }),
      [
        "checkout-preview-argocd-tracking: Argo CD may write into a preview namespace only objects of the namespace's own preview Applications (checkout-pr-<number>, checkout-pr-<number>-fence); this one is tracked as nothing",
      ],
    ],
  ];

  it.each(attacks)('refuse %s, saying why', (_, request, expected) => {
    expect(messages(request())).toEqual(expected);
  });

  const benign: Array<[string, () => AdmissionRequest]> = [
    [
      'a Deployment that adds only NET_BIND_SERVICE',
      () => write(deployment({ containers: [container({ securityContext: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } } })] })),
    ],
    [
      'an Ingress on its own host, with TLS',
      () => write(ingress({ rules: [rule('pr-1842.preview.example.com')], tls: [{ hosts: ['pr-1842.preview.example.com'] }] })),
    ],
    ['a headless ClusterIP Service', () => write(service({ clusterIP: 'None' }))],
    ['a Deployment CI applies with kubectl (no Argo CD tracking needed)', () => write(deployment({}))],
    [
      'a Namespace of dev made privileged (not a preview)',
      () => write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'checkout-dev', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } }),
    ],
    [
      'a privileged pod in dev (not a preview)',
      () =>
        write(deployment({ hostPID: true }), {
          namespaceObject: { metadata: { name: 'checkout-dev', labels: { 'dynenv.io/environment': 'dev', 'app.kubernetes.io/part-of': 'checkout' } } },
        }),
    ],
  ];

  const credentialsPod = () => {
    const job = find(previewObjects, 'Job', 'api-database-credentials') as any;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-database-credentials-x7k2p', labels: job.spec.template.metadata.labels },
      spec: job.spec.template.spec,
    };
  };
  benign.push(
    ["the fence Job's Pod, as the Job controller creates it", () => write(credentialsPod(), { username: JOB_CONTROLLER })],
    [
      'the same Pod, created by a controller manager that uses no per-controller credentials',
      () => write(credentialsPod(), { username: 'system:kube-controller-manager' }),
    ],
    [
      "the Job controller's update of that Pod (its tracking finalizer removed)",
      () =>
        write(credentialsPod(), {
          username: JOB_CONTROLLER,
          operation: 'UPDATE',
          oldObject: { ...credentialsPod(), metadata: { ...credentialsPod().metadata, namespace: NAMESPACE } },
        }),
    ],
  );

  it.each(benign)('admit %s', (_, request) => {
    expect(messages(request())).toEqual([]);
  });

  it('admit every object of a real preview, as Argo CD applies it for its two Applications', () => {
    expect(previewObjects.length).toBeGreaterThan(30);
    for (const object of previewObjects) {
      const request = write(object, { username: CONTROLLER, ...(object.kind === 'Namespace' && { namespaceObject: undefined }) });
      expect(messages(request), `${object.kind}/${object.metadata.name}`).toEqual([]);
    }
  });

  it.each<[TrackingMethod]>([['label'], ['annotation+label']])('read the Application from the tracking Argo CD is configured with: %s', (method) => {
    const policies = policiesIn(objectsIn(synthesizeTree(configWith((data) => void (data.argocd.resourceTrackingMethod = method))), 'argocd'));
    const own = withTracking([deployment({}) as unknown as KubernetesObject], applicationNamed('checkout-pr-1842'), method);
    expect(messages(write(own[0]!, { username: CONTROLLER }), policies)).toEqual([]);
    // With label tracking Argo CD leaves annotations alone: one naming the namespace's own Application, written by
    // a pull request into an object Argo CD labels as another Application's, does not get it in.
    const forged = withTracking([deployment({}) as unknown as KubernetesObject], applicationNamed('checkout-pr-1900'), method).map((object) => ({
      ...object,
      metadata: { ...object.metadata, annotations: { 'argocd.argoproj.io/tracking-id': `checkout-pr-1842:apps/Deployment:${NAMESPACE}/api` } },
    }));
    expect(messages(write(forged[0]!, { username: CONTROLLER }), policies)).toEqual([
      expect.stringContaining('checkout-preview-argocd-tracking: Argo CD may write into a preview namespace only objects of'),
    ]);
  });
});

/** A preview Application of that name, as withTracking reads it. */
function applicationNamed(name: string) {
  return { metadata: { name }, spec: { destination: { namespace: name.replace(/-fence$/, '') } } } as never;
}
