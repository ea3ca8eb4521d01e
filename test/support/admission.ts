/**
 * The API server's ValidatingAdmissionPolicy plugin, reduced to what the preview policies use, with their CEL
 * evaluated by a CEL library (@marcbachmann/cel-js) rather than asserted: a policy applies when one of its
 * `matchConstraints.resourceRules` matches the request and the binding's and policy's namespace selectors match
 * (a Namespace by its own labels, another cluster-scoped object always), and all its `matchConditions` hold; its
 * `variables` are evaluated lazily; each failing validation denies with its `messageExpression` (or `message`);
 * an expression that errors denies too (`failurePolicy: Fail`).
 */
import { Environment } from '@marcbachmann/cel-js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
type ResourceRule = { apiGroups?: string[]; apiVersions?: string[]; resources?: string[]; operations?: string[]; scope?: 'Cluster' | 'Namespaced' | '*' };

interface PolicyObject {
  metadata: { name: string };
  spec: {
    failurePolicy?: 'Fail' | 'Ignore';
    matchConstraints?: { resourceRules?: ResourceRule[]; namespaceSelector?: Selector; objectSelector?: Selector };
    matchConditions?: Array<{ name: string; expression: string }>;
    variables?: Array<{ name: string; expression: string }>;
    validations?: Array<{ expression: string; message?: string; messageExpression?: string }>;
  };
}

interface BindingObject {
  metadata: { name: string };
  spec: { policyName: string; validationActions?: string[]; matchResources?: { namespaceSelector?: Selector; objectSelector?: Selector } };
}

/** A write the API server admits or refuses. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
    string,
    unknown
  >;
  readonly oldObject?: Record<string, unknown>;
  /** Who writes: `system:serviceaccount:<namespace>:<name>` for a ServiceAccount. */
  readonly username: string;
  /** The namespace the object is in, as the API server holds it (undefined for cluster-scoped objects). */
  readonly namespaceObject?: { metadata: { name: string; labels?: Record<string, string> } };
  /** A subresource written (e.g. `ephemeralcontainers`). @default none */
  readonly subResource?: string;
}

export interface Denial {
  readonly policy: string;
  readonly message: string;
}

/** Resource names of the kinds the tests write (the API server knows them from discovery). */
const RESOURCES: Readonly<Record<string, string>> = {
  Pod: 'pods',
  ReplicationController: 'replicationcontrollers',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Service: 'services',
  Ingress: 'ingresses',
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  NetworkPolicy: 'networkpolicies',
  ResourceQuota: 'resourcequotas',
  LimitRange: 'limitranges',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
};

const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });

/** JSON as CEL sees Kubernetes objects: integers are CEL ints (BigInt here), not doubles. */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  return value;
}

function selects(selector: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => have[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in have && values.includes(have[key]!);
      case 'NotIn':
        return !(key in have) || !values.includes(have[key]!);
      case 'Exists':
        return key in have;
      case 'DoesNotExist':
        return !(key in have);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabel && byExpression;
}

function matchesRule(rule: ResourceRule, request: AdmissionRequest): boolean {
  const [group, version] = request.object.apiVersion.includes('/') ? request.object.apiVersion.split('/') : ['', request.object.apiVersion];
  const resource = RESOURCES[request.object.kind];
  if (resource === undefined) throw new Error(`no resource name for kind ${request.object.kind}: add it to RESOURCES`);
  const written = request.subResource ? `${resource}/${request.subResource}` : resource;
  const any = (list: string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);
  const resourceMatched = (rule.resources ?? []).some(
    (item) => item === written || (item === '*' && !request.subResource) || item === '*/*' || (request.subResource !== undefined && item === `${resource}/*`),
  );
  // `scope`: "Cluster" matches cluster-scoped resources only, "Namespaced" namespaced ones, "*" (the default) both.
  const clusterScoped = request.object.metadata.namespace === undefined;
  const scopeMatched = rule.scope === undefined || rule.scope === '*' || (rule.scope === 'Cluster') === clusterScoped;
  return any(rule.apiGroups, group!) && any(rule.apiVersions, version!) && resourceMatched && scopeMatched && any(rule.operations, request.operation);
}

/** Labels the namespace selectors are matched against, or undefined when they do not apply (cluster-scoped). */
function selectorLabels(request: AdmissionRequest): Record<string, string> | undefined | 'always' {
  if (request.object.kind === 'Namespace') return request.object.metadata.labels ?? {};
  if (request.namespaceObject === undefined) return 'always';
  return request.namespaceObject.metadata.labels ?? {};
}

/** Evaluates `expression` in `context`; throws what the CEL library throws. */
function evaluate(expression: string, context: Record<string, unknown>): unknown {
  return environment.evaluate(expression, context);
}

/** The denials `policies` (with their `bindings`) give `request`; an empty list admits it. */
export function admit(policies: readonly PolicyObject[], bindings: readonly BindingObject[], request: AdmissionRequest): Denial[] {
  const denials: Denial[] = [];
  const labels = selectorLabels(request);
  for (const binding of bindings) {
    const policy = policies.find((candidate) => candidate.metadata.name === binding.spec.policyName);
    if (!policy) throw new Error(`binding ${binding.metadata.name} names no policy`);
    if (!(binding.spec.validationActions ?? []).includes('Deny')) continue;
    const constraints = policy.spec.matchConstraints ?? {};
    if (!(constraints.resourceRules ?? []).some((rule) => matchesRule(rule, request))) continue;
    if (labels !== 'always' && !(selects(constraints.namespaceSelector, labels) && selects(binding.spec.matchResources?.namespaceSelector, labels))) continue;
    if (
      !selects(constraints.objectSelector, request.object.metadata.labels) ||
      !selects(binding.spec.matchResources?.objectSelector, request.object.metadata.labels)
    )
      continue;
    denials.push(...evaluatePolicy(policy, request));
  }
  return denials;
}

function evaluatePolicy(policy: PolicyObject, request: AdmissionRequest): Denial[] {
  const name = policy.metadata.name;
  const failed = (error: unknown): Denial => ({ policy: name, message: `expression error: ${(error as Error).message.split('\n')[0]}` });
  const variables: Record<string, unknown> = {};
  const context: Record<string, unknown> = {
    object: toCel(request.object),
    oldObject: request.oldObject === undefined ? null : toCel(request.oldObject),
    namespaceObject: request.namespaceObject === undefined ? null : toCel(request.namespaceObject),
    request: toCel({
      operation: request.operation,
      namespace: request.object.metadata.namespace ?? '',
      name: request.object.metadata.name,
      userInfo: { username: request.username },
      kind: { kind: request.object.kind },
    }),
    variables,
  };
  // Variables are evaluated when first used, as the API server does; an error surfaces where one is used.
  for (const variable of policy.spec.variables ?? []) {
    let cached: { value: unknown } | undefined;
    Object.defineProperty(variables, variable.name, {
      enumerable: true,
      get: () => (cached ??= { value: evaluate(variable.expression, context) }).value,
    });
  }
  for (const condition of policy.spec.matchConditions ?? []) {
    try {
      if (evaluate(condition.expression, context) !== true) return [];
    } catch (error) {
      return [failed(error)];
    }
  }
  const denials: Denial[] = [];
  for (const validation of policy.spec.validations ?? []) {
    let passed: unknown;
    try {
      passed = evaluate(validation.expression, context);
    } catch (error) {
      denials.push(failed(error));
      continue;
    }
    if (passed === true) continue;
    let message = validation.message ?? `failed expression: ${validation.expression}`;
    if (validation.messageExpression !== undefined) {
      try {
        const rendered = evaluate(validation.messageExpression, context);
        if (typeof rendered === 'string' && rendered !== '') message = rendered;
      } catch {
        // The API server falls back to `message` when the message expression fails.
      }
    }
    denials.push({ policy: name, message });
  }
  return denials;
}

export type { BindingObject, Json, PolicyObject };
