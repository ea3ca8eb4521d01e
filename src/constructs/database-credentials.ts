import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CREDENTIALS_JOB_RESOURCES } from '../config/resolve-preview.ts';
import { SYNC_WAVES, syncHook, syncWave } from './argocd-sync.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';
import { apiServerEgressRule, type ApiServerEndpoints } from './network-peers.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';
import { POSTGRES_PORT, databaseHost, databaseName, databaseSecretName } from './preview-database.ts';

/** Uid of the dynenv image (the distroless "nonroot" user; see the Dockerfile). */
export const DYNENV_IMAGE_UID = 65532;

/** The ServiceAccount, Role and RoleBinding the Jobs run as. */
export const CREDENTIALS_ACCOUNT = 'database-credentials';

/**
 * What the Jobs' pods run as and carry, which allow-api-server selects them by: the preview admission policies
 * (`fenceIdentity`) let no one else give it to a pod, so both read it from here.
 */
export const CREDENTIALS_POD_IDENTITY = {
  serviceAccounts: [CREDENTIALS_ACCOUNT],
  podLabels: { [DYNENV_LABEL.component]: CREDENTIALS_ACCOUNT },
} as const;

export interface DatabaseCredentialsProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Services with a preview database. */
  readonly services: readonly string[];
  /** The dynenv image, which holds `dynenv create-database-secret`. */
  readonly image: string;
  /** The Kubernetes API server, the one place the Jobs' pods may reach. */
  readonly apiServer: ApiServerEndpoints;
}

/**
 * How a preview's database password comes to exist without ever being in Git: a Job per database, a Sync hook
 * in an early wave, runs `dynenv create-database-secret`, which creates the Secret with a random password when
 * it is absent and leaves it alone when it exists (so later syncs keep the password the database was
 * initialised with). It runs as a ServiceAccount that may create Secrets and read only these, in this namespace
 * only, and it is the one pod allowed to reach the Kubernetes API. The Secret dies with the namespace.
 */
export class DatabaseCredentials extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseCredentialsProps) {
    super(scope, id);
    const component = { ...CREDENTIALS_POD_IDENTITY.podLabels };
    const labels = { ...appLabels(props.app), ...component };
    const guardrail = (name: string) => ({ name, labels, annotations: syncWave(SYNC_WAVES.guardrails) });
    const secrets = props.services.map(databaseSecretName);

    new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: guardrail(CREDENTIALS_ACCOUNT), automountServiceAccountToken: false });
    new kplus.k8s.KubeRole(this, 'Role', {
      metadata: guardrail(CREDENTIALS_ACCOUNT),
      rules: [
        // RBAC cannot limit "create" to names; "get" it can, and nothing here may update or delete.
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: secrets },
      ],
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: guardrail(CREDENTIALS_ACCOUNT),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CREDENTIALS_ACCOUNT },
      // No namespace: a RoleBinding's ServiceAccount subject without one is in the binding's namespace, and
      // stays right when Argo CD renames the namespace per pull request (kustomize would not rewrite it).
      subjects: [{ kind: 'ServiceAccount', name: CREDENTIALS_ACCOUNT }],
    });
    new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: guardrail('allow-api-server'),
      spec: {
        podSelector: { matchLabels: component },
        policyTypes: ['Egress'],
        // The label selects the Jobs' pods only: the preview admission policies let nobody else give it to a pod.
        egress: [apiServerEgressRule(props.apiServer)],
      },
    });

    for (const service of props.services) {
      new kplus.k8s.KubeJob(this, `Job-${service}`, {
        metadata: {
          name: `${service}-database-credentials`,
          labels,
          annotations: syncHook(SYNC_WAVES.databaseCredentials, { idempotent: true, creates: [`Secret/${databaseSecretName(service)}`] }),
        },
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 300,
          template: {
            metadata: { labels: component },
            spec: {
              serviceAccountName: CREDENTIALS_ACCOUNT,
              automountServiceAccountToken: true,
              restartPolicy: 'Never',
              securityContext: restrictedPodSecurity(DYNENV_IMAGE_UID),
              containers: [
                {
                  name: 'create-secret',
                  image: props.image,
                  args: [
                    'create-database-secret',
                    `--secret=${databaseSecretName(service)}`,
                    `--host=${databaseHost(service)}`,
                    `--port=${POSTGRES_PORT}`,
                    `--database=${databaseName(service)}`,
                    `--user=${databaseName(service)}`,
                  ],
                  env: [
                    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                    { name: 'HOME', value: '/tmp' },
                  ],
                  resources: resourceQuantities(CREDENTIALS_JOB_RESOURCES),
                  securityContext: RESTRICTED_CONTAINER_SECURITY,
                  volumeMounts: [TMP_MOUNT],
                },
              ],
              volumes: [TMP_VOLUME],
            },
          },
        },
      });
    }
  }
}
