/**
 * The RBAC matrix (README "Access"): which role gets which access level in which environment. Kubernetes RBAC
 * cannot grant by namespace pattern, so "CI may deploy only to pr-*" is built the other way round: only the
 * preview overlay, which every `pr-<number>` namespace is rendered from, binds the CI ServiceAccount.
 */
import type { EnvironmentName } from '../config/environment-names.ts';

export type AccessRole = 'developers' | 'sre' | 'security' | 'ci';

/** What a level may do inside one namespace. */
export type AccessLevel = 'develop' | 'observe' | 'admin' | 'operate' | 'audit' | 'audit-policy' | 'deploy';

export const ACCESS_MATRIX: Readonly<Record<AccessRole, Readonly<Record<EnvironmentName, AccessLevel | undefined>>>> = {
  // Read/write pods and logs in dev (and their own previews), read-only plus port-forward in staging, no kubectl in prod.
  developers: { dev: 'develop', staging: 'observe', prod: undefined, preview: 'develop' },
  // Full access outside prod; in prod deploy and roll back, but never read a Secret.
  sre: { dev: 'admin', staging: 'admin', prod: 'operate', preview: 'admin' },
  // Read everything but Secret values; edit NetworkPolicies in staging.
  security: { dev: 'audit', staging: 'audit-policy', prod: 'audit', preview: 'audit' },
  // Deploy to previews only; staging and prod move through Git.
  ci: { dev: undefined, staging: undefined, prod: undefined, preview: 'deploy' },
};

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** Everything an environment holds, Secrets excepted. */
const READ_ALL: readonly PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'persistentvolumeclaims',
      'pods',
      'pods/log',
      'resourcequotas',
      'serviceaccounts',
      'services',
    ],
    verbs: READ,
  },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
];

const PORT_FORWARD: PolicyRule = { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] };
const READ_RBAC: PolicyRule = { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: READ };
const ROLL: PolicyRule = {
  apiGroups: ['apps'],
  resources: ['deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale'],
  verbs: ['patch', 'update'],
};

/** The rules of each level; "admin" binds Kubernetes' own `admin` ClusterRole instead. */
export const ACCESS_RULES: Readonly<Record<Exclude<AccessLevel, 'admin'>, readonly PolicyRule[]>> = {
  develop: [
    ...READ_ALL,
    PORT_FORWARD,
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ROLL,
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete'] },
  ],
  observe: [...READ_ALL, PORT_FORWARD],
  operate: [...READ_ALL, ROLL, { apiGroups: [''], resources: ['pods'], verbs: ['delete'] }],
  audit: [...READ_ALL, READ_RBAC],
  'audit-policy': [...READ_ALL, READ_RBAC, { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: WRITE }],
  deploy: [
    ...READ_ALL,
    PORT_FORWARD,
    { apiGroups: [''], resources: ['configmaps', 'pods', 'services'], verbs: WRITE },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'statefulsets'], verbs: WRITE },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: WRITE },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
  ],
};
