import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DYNENV_IMAGE_UID } from './database-credentials.ts';
import { appLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, restrictedPodSecurity } from './pod-security.ts';

export interface PreviewSweepProps {
  /** Application name, for labels and the name `dynenv-sweep-<app>`. */
  readonly app: string;
  /** Argo CD's namespace: the CronJob runs there and reads its Applications. */
  readonly namespace: string;
  readonly image: string;
  /** Cron schedule. */
  readonly schedule: string;
  readonly graceMinutes: number;
  /** `owner/name` of the repositories. */
  readonly repositories: readonly string[];
  /** Secret with GitHub credentials that can read pull requests. */
  readonly githubSecret: string;
  readonly githubApiUrl?: string;
}

/**
 * `dynenv sweep` as a CronJob with its own ServiceAccount and the least it needs: list Applications in Argo CD's
 * namespace (a Role) and list and delete namespaces (a ClusterRole: namespaces are cluster-scoped, and RBAC cannot
 * narrow a delete to labels, so the sweep itself checks dynenv's labels before it deletes anything).
 */
export class PreviewSweep extends Construct {
  constructor(scope: Construct, id: string, props: PreviewSweepProps) {
    super(scope, id);
    const name = `dynenv-sweep-${props.app}`;
    const labels = { ...appLabels(props.app), 'app.kubernetes.io/name': name };
    const namespaced = { name, namespace: props.namespace, labels };
    const subjects = [{ kind: 'ServiceAccount', name, namespace: props.namespace }];
    new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: namespaced, automountServiceAccountToken: false });
    new kplus.k8s.KubeRole(this, 'Role', {
      metadata: namespaced,
      rules: [{ apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['list'] }],
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: namespaced,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects,
    });
    new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'delete'] }],
    });
    new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    });
    new kplus.k8s.KubeCronJob(this, 'CronJob', {
      metadata: namespaced,
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: name,
                automountServiceAccountToken: true,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurity(DYNENV_IMAGE_UID),
                containers: [
                  {
                    name: 'sweep',
                    image: props.image,
                    args: ['sweep'],
                    env: [
                      { name: 'DYNENV_REPOS', value: props.repositories.join(',') },
                      { name: 'DYNENV_ARGOCD_NAMESPACE', value: props.namespace },
                      { name: 'DYNENV_SWEEP_GRACE_MINUTES', value: String(props.graceMinutes) },
                      ...(props.githubApiUrl !== undefined ? [{ name: 'GITHUB_API_URL', value: props.githubApiUrl }] : []),
                    ],
                    // GITHUB_TOKEN (or a GitHub App's credentials): reads which pull requests are open.
                    envFrom: [{ secretRef: { name: props.githubSecret } }],
                    resources: {
                      requests: { cpu: kplus.k8s.Quantity.fromString('20m'), memory: kplus.k8s.Quantity.fromString('96Mi') },
                      limits: { memory: kplus.k8s.Quantity.fromString('192Mi') },
                    },
                    securityContext: RESTRICTED_CONTAINER_SECURITY,
                    volumeMounts: [TMP_MOUNT],
                  },
                ],
                volumes: [TMP_VOLUME],
              },
            },
          },
        },
      },
    });
  }
}
