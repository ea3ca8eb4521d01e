import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SMOKE_TEST_NAME, type ResolvedSmokeTest } from '../config/resolve-smoke-test.ts';
import { syncHook } from './argocd-sync.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';
import { PREVIEW_IDENTITY_CONFIGMAP } from './preview-identity.ts';
import { RUN_AS_USER } from './service-workload.ts';

/** The variable that holds the URL the smoke test tests. */
export const SMOKE_URL_VARIABLE = 'DYNENV_SMOKE_URL';
/** The `dynenv.io/component` of the smoke test's pods, which the fence's NetworkPolicy selects. */
export const SMOKE_TEST_COMPONENT = 'smoke-test';

export interface SmokeTestJobProps {
  /** Application name, for labels. */
  readonly app: string;
  readonly smokeTest: ResolvedSmokeTest;
}

/**
 * A preview's smoke test: a PostSync hook, so Argo CD starts it only once every resource of the sync is healthy,
 * and a failed test fails the sync (its operation ends Failed, naming the Job), which the controller reports on
 * the pull request. It runs again on every full sync (each new commit) and only reads, so it is declared
 * idempotent; its deadline and retry limit end it, so a test that hangs cannot hold the sync (or a closed pull
 * request's deletion). It gets the preview's identity (`dynenv-preview`) and the URL to test in DYNENV_SMOKE_URL.
 */
export class SmokeTestJob extends Construct {
  constructor(scope: Construct, id: string, props: SmokeTestJobProps) {
    super(scope, id);
    const { smokeTest } = props;
    const labels = { ...appLabels(props.app), [DYNENV_LABEL.component]: SMOKE_TEST_COMPONENT };
    const url: kplus.k8s.EnvVar =
      smokeTest.target.kind === 'url'
        ? { name: SMOKE_URL_VARIABLE, valueFrom: { configMapKeyRef: { name: PREVIEW_IDENTITY_CONFIGMAP, key: 'DYNENV_PREVIEW_URL' } } }
        : { name: SMOKE_URL_VARIABLE, value: smokeTest.target.url };
    new kplus.k8s.KubeJob(this, 'Job', {
      metadata: { name: SMOKE_TEST_NAME, labels, annotations: syncHook(0, { phase: 'PostSync', idempotent: true }) },
      spec: {
        backoffLimit: smokeTest.retries,
        activeDeadlineSeconds: smokeTest.timeoutSeconds,
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurity(RUN_AS_USER),
            containers: [
              {
                name: 'smoke-test',
                image: smokeTest.image,
                command: [...smokeTest.command],
                ...(smokeTest.args && { args: [...smokeTest.args] }),
                env: [url],
                envFrom: [{ configMapRef: { name: PREVIEW_IDENTITY_CONFIGMAP } }],
                resources: resourceQuantities(smokeTest.resources),
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
