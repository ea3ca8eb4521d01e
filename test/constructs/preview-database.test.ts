/**
 * PreviewDatabase, on its own: one PostgreSQL per service and preview, reachable by the Service the service's
 * DATABASE_URL names, with its credentials read from the Secret the credentials Job makes (none in Git), its data
 * on a volume deleted with it, and in the sync wave between the credentials and the migrations.
 */
import { describe, expect, it } from 'vitest';
import { previewDatabaseSchema } from '../../src/config/preview-schema.ts';
import { SYNC_WAVES } from '../../src/constructs/argocd-sync.ts';
import { databaseHost, databaseSecretName, POSTGRES_PORT, PreviewDatabase } from '../../src/constructs/preview-database.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const build = (database: Record<string, unknown> = {}) => {
  const objects = synthConstruct(
    (chart) => new PreviewDatabase(chart, 'db', { app: 'shop', service: 'order-api', database: previewDatabaseSchema.parse(database) }),
  );
  return { service: objects.find((o) => o.kind === 'Service'), statefulSet: objects.find((o) => o.kind === 'StatefulSet'), all: objects };
};

describe('PreviewDatabase', () => {
  it('is a Service and a one-replica StatefulSet named after the service, the Service selecting exactly its pod', () => {
    const { service, statefulSet, all } = build();
    expect(all.map((o) => o.kind)).toEqual(['Service', 'StatefulSet']);
    expect([service.metadata.name, statefulSet.metadata.name]).toEqual([databaseHost('order-api'), databaseHost('order-api')]);
    expect(statefulSet.spec.serviceName).toBe(service.metadata.name);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(statefulSet.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const [port] = service.spec.ports;
    const [containerPort] = statefulSet.spec.template.spec.containers[0].ports;
    expect(port).toMatchObject({ port: POSTGRES_PORT, targetPort: containerPort.name });
    expect(containerPort.containerPort).toBe(POSTGRES_PORT);
  });

  it('reads user, password and database from the credentials Secret, never from a literal', () => {
    const container = build().statefulSet.spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry.valueFrom ?? entry.value]));
    expect(env).toEqual({
      POSTGRES_USER: { secretKeyRef: { name: databaseSecretName('order-api'), key: 'PGUSER' } },
      POSTGRES_PASSWORD: { secretKeyRef: { name: databaseSecretName('order-api'), key: 'PGPASSWORD' } },
      POSTGRES_DB: { secretKeyRef: { name: databaseSecretName('order-api'), key: 'PGDATABASE' } },
      PGDATA: '/var/lib/postgresql/data/pgdata',
    });
  });

  it('syncs after the credentials Job and before the migrations', () => {
    for (const object of build().all) {
      const wave = Number(object.metadata.annotations['argocd.argoproj.io/sync-wave']);
      expect(wave).toBe(SYNC_WAVES.database);
      expect(wave).toBeGreaterThan(SYNC_WAVES.databaseCredentials);
      expect(wave).toBeLessThan(SYNC_WAVES.migration);
    }
  });

  it('keeps its data on a volume of the configured size and class, deleted with the StatefulSet', () => {
    const { statefulSet } = build({ storage: '5Gi', storageClassName: 'fast' });
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
    expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(build().statefulSet.spec.volumeClaimTemplates[0].spec).not.toHaveProperty('storageClassName');
  });

  it('runs as the configured non-root uid on a read-only root, with no API token', () => {
    const { statefulSet } = build({ runAsUser: 999, image: 'docker.io/library/postgres:16' });
    const pod = statefulSet.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    expect(pod.containers[0].image).toBe('docker.io/library/postgres:16');
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // Everything PostgreSQL writes is a mounted volume: its data, its socket folder, /tmp.
    expect(pod.containers[0].volumeMounts.map((mount: any) => mount.mountPath).sort()).toEqual(['/tmp', '/var/lib/postgresql/data', '/var/run/postgresql']);
  });
});
