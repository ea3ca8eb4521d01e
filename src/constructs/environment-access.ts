import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AccessConfig } from '../config/argocd-schema.ts';
import type { EnvironmentName } from '../config/environment-names.ts';
import { ACCESS_MATRIX, ACCESS_RULES, type AccessLevel, type AccessRole } from './access-matrix.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { appLabels } from './labels.ts';

export interface EnvironmentAccessProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The environment whose column of the matrix applies. */
  readonly environment: EnvironmentName;
  /** The groups and the CI ServiceAccount. */
  readonly access: AccessConfig;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Name of the Role of one access level. */
export function accessRoleName(level: AccessLevel): string {
  return `dynenv-${level}`;
}

/**
 * The environment's column of the RBAC matrix: one Role per access level in use and one RoleBinding per role
 * that has members. Roles are namespaced, so nothing here reaches another environment.
 */
export class EnvironmentAccess extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentAccessProps) {
    super(scope, id);
    const { access, environment } = props;
    const metadata = (name: string) => ({ name, labels: appLabels(props.app), annotations: syncWave(SYNC_WAVES.guardrails) });
    const members: Record<AccessRole, kplus.k8s.Subject[]> = {
      developers: access.developers.map(group),
      sre: access.sre.map(group),
      security: access.security.map(group),
      ci: access.ci ? [{ kind: 'ServiceAccount', name: access.ci.serviceAccount, namespace: access.ci.namespace }] : [],
    };
    const roles = new Set<AccessLevel>();
    for (const role of Object.keys(ACCESS_MATRIX) as AccessRole[]) {
      const level = ACCESS_MATRIX[role][environment];
      if (level === undefined || members[role].length === 0) continue;
      if (level !== 'admin' && !roles.has(level)) {
        roles.add(level);
        new kplus.k8s.KubeRole(this, `Role-${level}`, {
          metadata: metadata(accessRoleName(level)),
          rules: ACCESS_RULES[level].map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
        });
      }
      new kplus.k8s.KubeRoleBinding(this, `RoleBinding-${role}`, {
        metadata: metadata(`dynenv-${role}`),
        roleRef:
          level === 'admin'
            ? { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'admin' }
            : { apiGroup: RBAC_GROUP, kind: 'Role', name: accessRoleName(level) },
        subjects: members[role],
      });
    }
  }
}

function group(name: string): kplus.k8s.Subject {
  return { kind: 'Group', apiGroup: RBAC_GROUP, name };
}
