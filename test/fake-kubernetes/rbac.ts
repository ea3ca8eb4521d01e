/**
 * RBAC as the API server's authorizer applies it, for the requests the fake serves: a request is allowed when a
 * rule of a Role bound in its namespace, or of a ClusterRole bound cluster-wide, matches its verb, API group,
 * resource and (for named requests) name. Tests give the fake the very Role the generator synthesizes, so a
 * controller that needs more than it is granted fails here as it would in a cluster.
 */

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** Rules granted to a user: in one namespace (a RoleBinding) or everywhere (a ClusterRoleBinding). */
export interface Grant {
  /** undefined for cluster-wide. */
  readonly namespace?: string;
  readonly rules: readonly PolicyRule[];
}

export interface Identity {
  /** e.g. `system:serviceaccount:argocd:dynenv-plugin-checkout` */
  readonly user: string;
  /** Every request allowed (Argo CD itself, the test's own set-up). */
  readonly superuser?: boolean;
  readonly grants?: readonly Grant[];
}

export interface RequestAttributes {
  readonly verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  readonly group: string;
  readonly resource: string;
  readonly namespace: string | undefined;
  /** The object's name, or for list and watch the `metadata.name` field selector. */
  readonly name: string | undefined;
}

/** Undefined when `identity` may do it, else the API server's Forbidden message. */
export function forbidden(identity: Identity, request: RequestAttributes): string | undefined {
  if (identity.superuser) return undefined;
  const allowed = (identity.grants ?? []).some(
    (grant) => (grant.namespace === undefined || grant.namespace === request.namespace) && grant.rules.some((rule) => matches(rule, request)),
  );
  if (allowed) return undefined;
  const group = request.group === '' ? '""' : `"${request.group}"`;
  const where = request.namespace === undefined ? 'at the cluster scope' : `in the namespace "${request.namespace}"`;
  const what = request.name === undefined ? `resource "${request.resource}"` : `resource "${request.resource}"`;
  return `${request.resource}${request.name ? ` "${request.name}"` : ''} is forbidden: User "${identity.user}" cannot ${request.verb} ${what} in API group ${group} ${where}`;
}

function matches(rule: PolicyRule, request: RequestAttributes): boolean {
  const any = (list: readonly string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);
  if (!any(rule.verbs, request.verb) || !any(rule.apiGroups, request.group) || !any(rule.resources, request.resource)) return false;
  if (rule.resourceNames === undefined || rule.resourceNames.length === 0) return true;
  // Named rules never match a create, nor a list or watch without a metadata.name field selector.
  return request.verb !== 'create' && request.name !== undefined && rule.resourceNames.includes(request.name);
}
