import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PreviewDatabaseConfig } from '../config/preview-schema.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { DYNENV_LABEL, selectorLabels, serviceLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** The Secret a service reads its database connection from (libpq's PG* variables and DATABASE_URL). */
export function databaseSecretName(service: string): string {
  return `${service}-database`;
}

/** The StatefulSet and Service of a service's preview database. */
export function databaseHost(service: string): string {
  return `${service}-postgres`;
}

/** Database and role name inside PostgreSQL: the service's name, "-" made "_" so it needs no quoting. */
export function databaseName(service: string): string {
  return service.replaceAll('-', '_');
}

export interface PreviewDatabaseProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Service that owns the database. */
  readonly service: string;
  /** Image, size and resources. */
  readonly database: PreviewDatabaseConfig;
}

/**
 * The PostgreSQL of one service in one preview: a single-replica StatefulSet on its own volume, and a Service
 * in front of it. Its credentials come from the Secret that the database-credentials Job generates in the
 * namespace (nothing of it is in Git). The volume is deleted with the StatefulSet, and everything with the
 * preview's namespace. It syncs in a wave after the credentials and before the migrations.
 */
export class PreviewDatabase extends Construct {
  constructor(scope: Construct, id: string, props: PreviewDatabaseProps) {
    super(scope, id);
    const { database } = props;
    const name = databaseHost(props.service);
    const labels = { ...serviceLabels(props.app, name), [DYNENV_LABEL.component]: 'database' };
    const selector = selectorLabels(props.app, name);
    const secret = databaseSecretName(props.service);
    const fromSecret = (key: string): kplus.k8s.EnvVarSource => ({ secretKeyRef: { name: secret, key } });
    const ready: kplus.k8s.Probe = {
      exec: { command: ['sh', '-c', 'exec pg_isready --host 127.0.0.1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB"'] },
      periodSeconds: 5,
      failureThreshold: 6,
    };

    new kplus.k8s.KubeService(this, 'Service', {
      metadata: { name, labels, annotations: syncWave(SYNC_WAVES.database) },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: kplus.k8s.IntOrString.fromString('postgres'), protocol: 'TCP' }],
      },
    });

    new kplus.k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, labels, annotations: syncWave(SYNC_WAVES.database) },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
        template: {
          metadata: { labels: { ...selector, [DYNENV_LABEL.component]: 'database' } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(database.runAsUser),
            containers: [
              {
                name: 'postgres',
                image: database.image,
                ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
                env: [
                  { name: 'POSTGRES_USER', valueFrom: fromSecret('PGUSER') },
                  { name: 'POSTGRES_PASSWORD', valueFrom: fromSecret('PGPASSWORD') },
                  { name: 'POSTGRES_DB', valueFrom: fromSecret('PGDATABASE') },
                  // A subfolder: the volume's root may hold lost+found, which initdb refuses.
                  { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
                ],
                readinessProbe: ready,
                livenessProbe: { ...ready, periodSeconds: 20 },
                resources: resourceQuantities(database.resources),
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/postgresql/data' },
                  // The socket folder and /tmp: the root file system is read-only.
                  { name: 'run', mountPath: '/var/run/postgresql' },
                  TMP_MOUNT,
                ],
              },
            ],
            volumes: [{ name: 'run', emptyDir: {} }, TMP_VOLUME],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: selector },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(database.storageClassName !== undefined && { storageClassName: database.storageClassName }),
              resources: { requests: { storage: kplus.k8s.Quantity.fromString(database.storage) } },
            },
          },
        ],
      },
    });
  }
}
