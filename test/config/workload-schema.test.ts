/**
 * The workload model beyond ports and probes (kinds, volumes, init containers, pod settings, Pod Security,
 * per-environment overrides): every bad value answered with the service or environment and the field, pinned.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { problems, withService } from '../support/config-problems.ts';

const at = (field: string, message: string) => `dynenv.yaml: services[0].${field}: ${message}`;
const ENVIRONMENTS = ['dev', 'staging', 'prod', 'preview'];

describe('services[]: kinds, volumes, containers and pods', () => {
  const cases: Array<[string, string, string[]]> = [
    ['an unknown kind', 'kind: Job\nhealthCommand: [x]', [at('kind', 'expected "Deployment", "StatefulSet" or "CronJob", got "Job"')]],
    [
      'a CronJob without a schedule, with a health command',
      'kind: CronJob\nhealthCommand: [x]',
      [
        at('schedule', 'required for kind: CronJob (e.g. "0 3 * * *")'),
        at('healthCommand', 'a CronJob runs to completion and serves no traffic: leave it out, or use kind: Deployment'),
      ],
    ],
    [
      'a schedule that is not cron',
      'kind: CronJob\nschedule: "every day"',
      [at('schedule', 'expected a cron schedule of five fields ("0 3 * * *") or a macro such as "@daily", got "every day"')],
    ],
    ['a schedule on a Deployment', 'schedule: "0 3 * * *"\nhealthCommand: [x]', [at('schedule', 'needs kind: CronJob (this service is a Deployment)')]],
    [
      'a concurrency policy in lower case',
      'kind: CronJob\nschedule: "@daily"\njob: { concurrencyPolicy: forbid }',
      [at('job.concurrencyPolicy', 'expected "Forbid", "Allow" or "Replace", got "forbid"')],
    ],
    [
      'a persistent volume on a Deployment',
      'healthCommand: [x]\nvolumes: [{ name: data, mountPath: /data, persistent: {} }]',
      [at('volumes[0].persistent', "needs kind: StatefulSet (a Deployment's pods share no claim of their own); use emptyDir for scratch space")],
    ],
    [
      'a volume without a source',
      'healthCommand: [x]\nvolumes: [{ name: data, mountPath: /data }]',
      [at('volumes[0]', 'expected one of "emptyDir", "configMap", "secret", "files" or "persistent"')],
    ],
    [
      'a relative mount path and two sources',
      'healthCommand: [x]\nvolumes: [{ name: data, mountPath: data, emptyDir: {}, secret: { name: s } }]',
      [at('volumes[0].mountPath', 'expected an absolute path such as "/data", got "data"'), at('volumes[0]', 'expected one source, got emptyDir and secret')],
    ],
    [
      'a volume named tmp, and the same volume twice',
      'healthCommand: [x]\nvolumes: [{ name: tmp, mountPath: /tmp, emptyDir: {} }, { name: a, mountPath: /a, emptyDir: {} }, { name: a, mountPath: /a, emptyDir: {} }]',
      [
        at('volumes[0].name', '"tmp" is the /tmp volume dynenv adds to every pod: choose another name'),
        at('volumes[0].mountPath', "/tmp is already mounted by dynenv's /tmp"),
        at('volumes[2].name', 'volume name a also in volumes[1]'),
        at('volumes[2].mountPath', '/a is already mounted by volumes[1]'),
      ],
    ],
    [
      'a file key a ConfigMap refuses',
      'healthCommand: [x]\nvolumes: [{ name: c, files: { "a b": a.conf } }]',
      [at('volumes[0].files["a b"]', 'expected a key of letters, digits, "-", "_" and "." (a ConfigMap key), got "a b"')],
    ],
    [
      'a file outside the repository',
      'healthCommand: [x]\nvolumes: [{ name: c, files: { passwd: ../../etc/passwd } }]',
      [at('volumes[0].files.passwd', 'expected a path inside the repository (no "..")')],
    ],
    [
      'an absolute file path',
      'healthCommand: [x]\nvolumes: [{ name: c, files: { passwd: /etc/passwd } }]',
      [at('volumes[0].files.passwd', 'expected a path relative to the folder of dynenv.yaml, with "/" between folders, got "/etc/passwd"')],
    ],
    [
      'init containers: a clash with the main container, a volume that does not exist, probes on an init container, a sidecar without readiness',
      'healthCommand: [x]\ninitContainers: [{ name: api, image: busybox:1 }, { name: w, image: busybox:1, volumeMounts: [{ name: nope, mountPath: /x }], probes: { readiness: { exec: { command: [x] } } } }, { name: s, image: busybox:1, sidecar: true }]',
      [
        at('initContainers[0].name', "api is the main container's name (the service's)"),
        at('initContainers[1].volumeMounts[0].name', 'no volume named "nope" (volumes: tmp)'),
        at('initContainers[1].probes', 'an init container runs to completion before the main container: only a sidecar (sidecar: true) has it'),
        at('initContainers[2].probes.readiness', "required for a sidecar (its readiness counts for the pod's): a probe, or false for one that serves nothing"),
      ],
    ],
    [
      'an init container on a built image no service has',
      'healthCommand: [x]\ninitContainers: [{ name: w, image: ghcr.io/acme/other }]',
      [
        at(
          'initContainers[0].image',
          "ghcr.io/acme/other is no service's image, so no environment pins it: use the image of a service this repository builds, or give a third-party image its tag or digest",
        ),
      ],
    ],
    [
      'a grace period shorter than the preStop sleep asked for',
      'port: 8080\nhealthPath: /\npreStopSleepSeconds: 20\nterminationGracePeriodSeconds: 10',
      [
        at(
          'terminationGracePeriodSeconds',
          '10 is not longer than the preStop sleep (preStopSleepSeconds: 20), which counts towards it: the process would be killed before it could shut down. Raise it, or lower preStopSleepSeconds',
        ),
      ],
    ],
    [
      'a preStop sleep on a CronJob',
      'kind: CronJob\nschedule: "@daily"\npreStopSleepSeconds: 5',
      [at('preStopSleepSeconds', 'a CronJob runs to completion and serves no traffic: leave it out, or use kind: Deployment')],
    ],
    ['a negative preStop sleep', 'port: 8080\nhealthPath: /\npreStopSleepSeconds: -1', [at('preStopSleepSeconds', 'expected an integer 0-3600, got -1')]],
    [
      'a pod label dynenv selects on',
      'healthCommand: [x]\npodLabels: { app.kubernetes.io/name: x }',
      [at('podLabels["app.kubernetes.io/name"]', 'app.kubernetes.io/name is a selector label dynenv sets (it must never change): choose another key')],
    ],
    [
      'a capability with a prefix',
      'healthCommand: [x]\nsecurityContext: { capabilities: { add: [cap_chown] } }',
      [at('securityContext.capabilities.add[0]', 'expected a capability such as "NET_BIND_SERVICE" (upper case, no CAP_ prefix), got "cap_chown"')],
    ],
    [
      'scheduling a Kubernetes pod spec would refuse',
      'healthCommand: [x]\nscheduling: { tolerations: [{ operator: Maybe }], affinity: { nodeAffinity: 5 }, topologySpreadConstraints: [{ maxSkew: 1 }] }',
      [
        at('scheduling.tolerations[0].operator', 'expected "Equal" or "Exists", got "Maybe"'),
        at('scheduling.affinity', 'not a Kubernetes affinity: data/nodeAffinity must be object'),
        at('scheduling.topologySpreadConstraints[0].topologyKey', 'missing, expected a label key'),
      ],
    ],
  ];
  it.each(cases)('%s', (_, fields, expected) => {
    expect(problems(withService(fields))).toEqual(expected);
  });
});

describe('Pod Security is never weakened silently', () => {
  it('names the service, the setting and the level each environment would need', () => {
    expect(problems(withService('healthCommand: [x]\nsecurityContext: { runAsUser: 0, capabilities: { add: [NET_BIND_SERVICE, CHOWN, SYS_ADMIN] } }'))).toEqual(
      [
        ...ENVIRONMENTS.map((env) =>
          at(
            'securityContext.runAsUser',
            `api runs as root (runAsUser: 0), which Pod Security "restricted" refuses in ${env}: set environments.${env}.podSecurity: baseline to admit it, or remove the setting`,
          ),
        ),
        ...ENVIRONMENTS.map((env) =>
          at(
            'securityContext.capabilities.add[1]',
            `api adds the capability CHOWN, which Pod Security "restricted" refuses in ${env}: set environments.${env}.podSecurity: baseline to admit it, or remove the setting`,
          ),
        ),
        ...ENVIRONMENTS.map((env) =>
          at(
            'securityContext.capabilities.add[2]',
            `api adds the capability SYS_ADMIN, which Pod Security "restricted" refuses in ${env}: set environments.${env}.podSecurity: privileged to admit it, or remove the setting`,
          ),
        ),
      ],
    );
  });

  it('accepts what an environment admits, and says nothing about one that leaves the service out', () => {
    const text = withService('healthCommand: [x]\nsecurityContext: { runAsUser: 0, allowPrivilegeEscalation: true }')
      .replace('dev: { imageTag: main }', 'dev: { imageTag: main, podSecurity: baseline }')
      .replace(/staging: \{ services: \{ api: \{/, 'staging: { podSecurity: baseline, services: { api: {')
      .replace(/prod: \{ services: \{ api: \{/, 'prod: { podSecurity: baseline, services: { api: {');
    expect(problems(text)).toEqual([
      at(
        'securityContext.runAsUser',
        'api runs as root (runAsUser: 0), which Pod Security "restricted" refuses in preview: set environments.preview.podSecurity: baseline to admit it, or remove the setting',
      ),
      at(
        'securityContext.allowPrivilegeEscalation',
        'api allows privilege escalation, which Pod Security "restricted" refuses in preview: set environments.preview.podSecurity: baseline to admit it, or remove the setting',
      ),
    ]);
    expect(parseConfig(`${text}  preview: { services: { api: { enabled: false } } }\n`).services).toHaveLength(1);
  });
});

describe('environments.<env>.services.<svc>: workload overrides', () => {
  it('refuses storage for a volume the service does not claim, and a CronJob setting on a Deployment', () => {
    expect(
      problems(`${withService('healthCommand: [x]')}  preview: { services: { api: { storage: { data: { size: 1Gi } }, schedule: "@daily" } } }\n`),
    ).toEqual([
      'dynenv.yaml: environments.preview.services.api.storage.data: no persistent volume named "data" on api (it has none)',
      'dynenv.yaml: environments.preview.services.api.schedule: api is a Deployment, not a CronJob',
    ]);
  });

  it('refuses replicas and autoscaling for a CronJob', () => {
    const text = `${withService('kind: CronJob\nschedule: "@daily"')}  preview: { services: { api: { replicas: 2, autoscaling: { maxReplicas: 3 } } } }\n`;
    expect(problems(text)).toEqual([
      'dynenv.yaml: environments.preview.services.api.replicas: api is a CronJob: one pod per run, nothing to scale',
      'dynenv.yaml: environments.preview.services.api.autoscaling: api is a CronJob: one pod per run, nothing to scale',
    ]);
  });

  it('accepts a short grace period where there is no sleep: a worker, or preStopSleepSeconds: 0', () => {
    expect(parseConfig(withService('healthCommand: [x]\nterminationGracePeriodSeconds: 1')).services[0]!.terminationGracePeriodSeconds).toBe(1);
    expect(
      parseConfig(withService('port: 8080\nhealthPath: /\npreStopSleepSeconds: 0\nterminationGracePeriodSeconds: 1')).services[0]!.preStopSleepSeconds,
    ).toBe(0);
  });

  it('needs no image pin where the service is switched off', () => {
    const text = withService('healthCommand: [x]').replace(/ {2}prod: .*\n/, '  prod: { services: { api: { enabled: false } } }\n');
    expect(parseConfig(text).environments.prod.services.api!.enabled).toBe(false);
  });
});
