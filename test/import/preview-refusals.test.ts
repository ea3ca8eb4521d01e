/**
 * What an imported workload needs that a preview's fence refuses at any Pod Security level, and what the import
 * does with such a workload: dev, staging and prod run it at the level it needs, previews leave it out and keep
 * their own level.
 */
import { describe, expect, it } from 'vitest';
import { importApplication } from '../../src/import/import-application.ts';
import type { Manifest } from '../../src/import/manifests.ts';
import { previewRefusals } from '../../src/import/preview-refusals.ts';

const container = (securityContext: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  name: 'main',
  image: 'ghcr.io/acme/db:1.0',
  securityContext,
  ...extra,
});

describe('previewRefusals', () => {
  it.each([
    ['a privileged container', { containers: [container({ privileged: true })] }, ['container main runs privileged']],
    [
      'a privileged init container',
      { containers: [container()], initContainers: [{ name: 'sysctl', securityContext: { privileged: true } }] },
      ['init container sysctl runs privileged'],
    ],
    [
      'added capabilities',
      { containers: [container({ capabilities: { add: ['CHOWN', 'CAP_SETUID'] } })] },
      ['container main adds the capabilities CHOWN, SETUID'],
    ],
    ['a host port', { containers: [container({}, { ports: [{ containerPort: 80, hostPort: 8080 }] })] }, ['container main binds host port 8080']],
    ['a host namespace', { containers: [container()], hostNetwork: true }, ['the pod sets hostNetwork']],
    ['a hostPath', { containers: [container()], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }, ['volume logs is a hostPath']],
  ])('refuses %s', (_what, pod, reasons) => {
    expect(previewRefusals(pod)).toEqual(reasons);
  });

  it('admits what a preview admits: NET_BIND_SERVICE, root, escalation (Pod Security decides those), hostPort 0', () => {
    const pod = {
      containers: [
        container(
          { runAsUser: 0, allowPrivilegeEscalation: true, capabilities: { add: ['CAP_NET_BIND_SERVICE'] } },
          // hostPort 0 is no host port: the fence's policy admits it too.
          { ports: [{ containerPort: 80, hostPort: 0 }] },
        ),
      ],
    };
    expect(previewRefusals(pod)).toEqual([]);
  });
});

function deployment(name: string, securityContext: Record<string, unknown>): Manifest {
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: `ghcr.io/acme/${name}:1.0`, securityContext: { readOnlyRootFilesystem: true, runAsUser: 1000, ...securityContext } }],
        },
      },
    },
  };
  return { file: 'app.yaml', line: 1, kind: 'Deployment', apiVersion: 'apps/v1', name, body };
}

describe('importing a workload a preview refuses', () => {
  it('leaves it out of previews, raises only the environments that run it, and says why', () => {
    const imported = importApplication([deployment('db', { capabilities: { add: ['CHOWN'] } }), deployment('web', {})], { app: 'shop' });
    expect(imported.config.environments.preview).toEqual({ services: { db: { enabled: false } } });
    for (const environment of ['dev', 'staging', 'prod']) expect(imported.config.environments[environment].podSecurity).toBe('baseline');
    expect(imported.leftOutOfPreviews).toEqual(new Map([['db', ['container db adds the capability CHOWN']]]));
    expect(imported.serviceNotes.get('db')).toContain(
      "db: container db adds the capability CHOWN, which a preview's fence refuses at any Pod Security level (a pull request never gets privileged pods): " +
        'left out of previews (environments.preview.services.db.enabled: false)',
    );
    expect(imported.serviceNotes.get('web')!.filter((note) => note.includes('preview'))).toEqual([]);
  });

  it('keeps in previews a workload they admit, at the level it needs there too', () => {
    const imported = importApplication([deployment('db', { runAsUser: 0 }), deployment('web', {})], { app: 'shop' });
    for (const environment of ['dev', 'staging', 'prod', 'preview']) expect(imported.config.environments[environment].podSecurity).toBe('baseline');
    expect(imported.config.environments.preview.services).toBeUndefined();
    expect(imported.leftOutOfPreviews.size).toBe(0);
  });
});
