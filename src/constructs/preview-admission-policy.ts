import type { IValidatingAdmissionPolicyBindingSpec } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBindingSpec';
import type { IValidatingAdmissionPolicySpec } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicySpec';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { TrackingMethod } from '../config/argocd-schema.ts';
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import { PLACEHOLDER } from '../config/preview-pattern.ts';
import { celString, hostRegexExpression, pullRequestNameExpression, regexLiteral, trackingReads } from './admission-expressions.ts';
import { appLabels } from './labels.ts';

/** The API group and version of ValidatingAdmissionPolicy, GA since Kubernetes 1.30. */
export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/** The only capability a preview container may add: binding a port below 1024. */
export const ALLOWED_CAPABILITY = 'NET_BIND_SERVICE';

export interface PreviewAdmissionPolicyProps {
  /** Application name: the policies are "<app>-preview-<what>". */
  readonly app: string;
  /** Labels every preview Namespace of the app carries, which the bindings select on. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** What every preview namespace's name starts with, e.g. "checkout-pr-". */
  readonly namespaceStem: string;
  /** The Pod Security Standard preview namespaces enforce. */
  readonly podSecurity: PodSecurityLevel;
  /** The preview host pattern; undefined: a preview has no Ingress at all. */
  readonly hostPattern: string | undefined;
  /** What Argo CD's application controller writes, and who it is. */
  readonly argocd: {
    /** `system:serviceaccount:<namespace>:<name>` of the application controller. */
    readonly controllerUser: string;
    readonly trackingMethod: TrackingMethod;
    readonly instanceLabelKey: string;
    /** The names of a pull request's Applications, patterns over `{{number}}`. */
    readonly applicationNames: { readonly workloads: string; readonly fence: string };
  };
  /** What only the fence's own pods may run as or carry (the database-credentials Job's). */
  readonly fenceIdentity: { readonly serviceAccounts: readonly string[]; readonly podLabels: Readonly<Record<string, string>> };
}

type Spec = IValidatingAdmissionPolicySpec;
type Validation = NonNullable<Spec['validations']>[number];
type Variable = NonNullable<Spec['variables']>[number];
type ResourceRule = NonNullable<NonNullable<Spec['matchConstraints']>['resourceRules']>[number];

const WRITES: ResourceRule['operations'] = ['CREATE', 'UPDATE'];

/** Every kind that holds a pod or a pod template, so a pod is refused both as a template and as a Pod. */
const POD_RESOURCES: ResourceRule[] = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'], operations: WRITES },
  { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], operations: WRITES },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'], operations: WRITES },
];

const POD_VARIABLES: Variable[] = [
  {
    name: 'podSpec',
    expression:
      "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
  {
    name: 'containers',
    expression:
      'variables.podSpec.containers' +
      ' + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])' +
      ' + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
  },
];

const PRIVILEGED = 'has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged';
const ADDS_CAPABILITIES =
  `has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add)` +
  ` && c.securityContext.capabilities.add.exists(capability, capability != ${celString(ALLOWED_CAPABILITY)})`;
const HOST_PORT = 'has(c.ports) && c.ports.exists(p, has(p.hostPort) && p.hostPort != 0)';

/** A validation whose message names the containers that break it. */
function perContainer(breaks: string, what: string): Validation {
  return {
    expression: `!variables.containers.exists(c, ${breaks})`,
    message: `a preview namespace refuses ${what}`,
    messageExpression: `${celString(`a preview namespace refuses ${what}: `)} + variables.containers.filter(c, ${breaks}).map(c, c.name).join(', ')`,
    reason: 'Forbidden',
  };
}

const POD_VALIDATIONS: Validation[] = [
  perContainer(PRIVILEGED, 'privileged containers'),
  perContainer(ADDS_CAPABILITIES, `capabilities other than ${ALLOWED_CAPABILITY}`),
  perContainer(HOST_PORT, 'host ports'),
  ...(['hostPID', 'hostIPC', 'hostNetwork'] as const).map((field) => ({
    expression: `!has(variables.podSpec.${field}) || !variables.podSpec.${field}`,
    message: `a preview namespace refuses ${field}: a pod there must not share the node's namespaces`,
    reason: 'Forbidden' as const,
  })),
  {
    expression: '!has(variables.podSpec.volumes) || !variables.podSpec.volumes.exists(v, has(v.hostPath))',
    message: 'a preview namespace refuses hostPath volumes',
    messageExpression: `'a preview namespace refuses hostPath volumes: ' + variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ')`,
    reason: 'Forbidden',
  },
];

const SERVICE_VALIDATIONS: Validation[] = [
  {
    expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
    messageExpression: "'a preview namespace refuses Services of type ' + object.spec.type + ': only ClusterIP, reached through its Ingress'",
    message: 'a preview namespace refuses Services of type NodePort, LoadBalancer and ExternalName',
    reason: 'Forbidden',
  },
  {
    expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
    message: 'a preview namespace refuses Services with externalIPs',
    reason: 'Forbidden',
  },
];

function ingressValidations(hostPattern: string | undefined): Validation[] {
  if (hostPattern === undefined) {
    return [{ expression: 'false', message: 'a preview of this application has no Ingress: its services are not exposed', reason: 'Forbidden' }];
  }
  const outside = `a preview namespace's Ingress answers only on its own host (${readablePattern(hostPattern)})`;
  return [
    {
      expression: '!has(object.spec.defaultBackend)',
      message: `${outside}: a default backend would answer for every host`,
      reason: 'Forbidden',
    },
    {
      expression: 'has(object.spec.rules) && object.spec.rules.all(rule, has(rule.host) && rule.host.matches(variables.hostRegex))',
      message: outside,
      messageExpression:
        `${celString(`${outside}, not `)} + (has(object.spec.rules) ? object.spec.rules.map(rule, has(rule.host) ? rule.host : '(every host)').join(', ') : '(every host)')`,
      reason: 'Forbidden',
    },
    {
      expression: '!has(object.spec.tls) || object.spec.tls.all(tls, !has(tls.hosts) || tls.hosts.all(host, host.matches(variables.hostRegex)))',
      message: `${outside}, in its TLS section too`,
      reason: 'Forbidden',
    },
  ];
}

/** What Argo CD's application controller writes into a preview namespace belongs to that namespace's previews. */
function trackingValidations(argocd: PreviewAdmissionPolicyProps['argocd']): Validation[] {
  const own = `Argo CD may write into a preview namespace only objects of the namespace's own preview Applications (${[argocd.applicationNames.workloads, argocd.applicationNames.fence].map(readablePattern).join(', ')})`;
  return trackingReads(argocd.trackingMethod, argocd.instanceLabelKey).map((read) => ({
    expression: `${read.application} in variables.ownApplications`,
    message: own,
    messageExpression: `${celString(`${own}; ${read.introduction}`)} + ${read.shown}`,
    reason: 'Forbidden',
  }));
}

/**
 * The fence's own pods (the database-credentials Job) run as a ServiceAccount that may write Secrets, and carry the
 * label its NetworkPolicy lets out to the API server: a pull request must not give its pods either. What Argo CD
 * writes with them must be the fence Application's.
 */
function fenceIdentityValidation(props: PreviewAdmissionPolicyProps): { variables: Variable[]; validation: Validation } {
  const { fenceIdentity, argocd } = props;
  const accounts = `[${fenceIdentity.serviceAccounts.map(celString).join(', ')}]`;
  const labels = Object.entries(fenceIdentity.podLabels).map(
    ([key, value]) => `(${celString(key)} in variables.podLabels && variables.podLabels[${celString(key)}] == ${celString(value)})`,
  );
  const what =
    `ServiceAccount ${fenceIdentity.serviceAccounts.join(', ')} or the label ` +
    `${Object.entries(fenceIdentity.podLabels).map(([key, value]) => `${key}=${value}`).join(', ')}`;
  return {
    variables: [
      {
        name: 'podLabels',
        expression:
          "object.kind == 'Pod' ? (has(object.metadata.labels) ? object.metadata.labels : {})" +
          " : object.kind == 'CronJob' ? (has(object.spec.jobTemplate.spec.template.metadata) && has(object.spec.jobTemplate.spec.template.metadata.labels) ? object.spec.jobTemplate.spec.template.metadata.labels : {})" +
          ' : (has(object.spec.template.metadata) && has(object.spec.template.metadata.labels) ? object.spec.template.metadata.labels : {})',
      },
      {
        name: 'usesFenceIdentity',
        expression: [
          `(has(variables.podSpec.serviceAccountName) && variables.podSpec.serviceAccountName in ${accounts})`,
          `(has(variables.podSpec.serviceAccount) && variables.podSpec.serviceAccount in ${accounts})`,
          ...labels,
        ].join(' || '),
      },
    ],
    validation: {
      expression:
        `request.userInfo.username != ${celString(argocd.controllerUser)} || !variables.usesFenceIdentity || ` +
        trackingReads(argocd.trackingMethod, argocd.instanceLabelKey)
          .map((read) => `${read.application} == ${pullRequestNameExpression(argocd.applicationNames.fence)}`)
          .join(' && '),
      message: `only a preview's fence may run pods with ${what}: they may write Secrets and reach the API server`,
      reason: 'Forbidden',
    },
  };
}

/**
 * The in-cluster fence of every preview of an application: ValidatingAdmissionPolicies (and their bindings) that
 * the API server enforces on every write, whoever makes it, so they hold when Argo CD is bypassed (CI's kubectl,
 * a developer's role) and where Argo CD's project check cannot look (a `transformers:` entry of a pull request
 * moving a Deployment into another preview's namespace, which the project's namespace glob admits):
 *
 * - pods and pod templates: no privileged containers, no host namespaces or host ports, no hostPath volumes, no
 *   capabilities beyond NET_BIND_SERVICE (the namespace's Pod Security label says the same, but only for Pods,
 *   and only while the label stays);
 * - Services: ClusterIP only, no externalIPs; Ingresses: only the pull request's own host;
 * - what Argo CD's application controller writes into a preview namespace must be tracked by that namespace's
 *   own Applications (`<app>-pr-<n>` and `<app>-pr-<n>-fence`), and only the fence's may run pods with the
 *   fence's own identity (the database-credentials ServiceAccount and label);
 * - a preview Namespace keeps its Pod Security level and the labels the other policies select it by.
 *
 * Namespaced policies bind to the preview namespaces by label; the Namespace policy matches them by name, so a
 * Namespace cannot leave the fence by dropping its labels.
 */
export class PreviewAdmissionPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PreviewAdmissionPolicyProps) {
    super(scope, id);
    const inPreviews = { namespaceSelector: { matchLabels: { ...props.namespaceLabels } } };
    const { workloads, fence } = props.argocd.applicationNames;
    const ownApplications = `[${[workloads, fence].map(pullRequestNameExpression).join(', ')}]`;
    const fenceIdentity = fenceIdentityValidation(props);

    this.policy('pods', props, {
      matchConstraints: { resourceRules: POD_RESOURCES },
      variables: [...POD_VARIABLES, ...fenceIdentity.variables],
      validations: [...POD_VALIDATIONS, fenceIdentity.validation],
    }, inPreviews);
    this.policy('services', props, {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: WRITES }] },
      validations: SERVICE_VALIDATIONS,
    }, inPreviews);
    this.policy('ingresses', props, {
      matchConstraints: { resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['ingresses'], operations: WRITES }] },
      ...(props.hostPattern !== undefined && { variables: [{ name: 'hostRegex', expression: hostRegexExpression(props.hostPattern) }] }),
      validations: ingressValidations(props.hostPattern),
    }, inPreviews);
    this.policy('argocd-tracking', props, {
      matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: WRITES }] },
      matchConditions: [
        { name: 'argocd-application-controller', expression: `request.userInfo.username == ${celString(props.argocd.controllerUser)}` },
        // Namespace objects are the Namespace policy's; other cluster-scoped objects are no preview's.
        { name: 'namespaced', expression: "request.namespace != ''" },
      ],
      variables: [{ name: 'ownApplications', expression: ownApplications }],
      validations: trackingValidations(props.argocd),
    }, inPreviews);
    this.policy('namespaces', props, {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: WRITES }] },
      matchConditions: [{ name: 'preview-namespace', expression: `object.metadata.name.matches(${celString(`^${regexLiteral(props.namespaceStem)}[0-9]+$`)})` }],
      validations: namespaceValidations(props),
    }, {});
  }

  private policy(what: string, props: PreviewAdmissionPolicyProps, spec: Spec, matchResources: IValidatingAdmissionPolicyBindingSpec['matchResources']): void {
    const name = `${props.app}-preview-${what}`;
    const metadata = { name, labels: appLabels(props.app) };
    new ApiObject(this, `${what}-policy`, {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: { failurePolicy: 'Fail', ...spec } satisfies Spec,
    });
    new ApiObject(this, `${what}-binding`, {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata,
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        ...(matchResources && Object.keys(matchResources).length > 0 && { matchResources }),
      } satisfies IValidatingAdmissionPolicyBindingSpec,
    });
  }
}

function namespaceValidations(props: PreviewAdmissionPolicyProps): Validation[] {
  const label = (key: string) => `object.metadata.labels[${celString(key)}]`;
  const has = (key: string) => `has(object.metadata.labels) && ${celString(key)} in object.metadata.labels`;
  const enforce = 'pod-security.kubernetes.io/enforce';
  const version = 'pod-security.kubernetes.io/enforce-version';
  return [
    {
      expression: `${has(enforce)} && ${label(enforce)} == ${celString(props.podSecurity)}`,
      message: `a preview namespace enforces the "${props.podSecurity}" Pod Security Standard (label ${enforce}), which a pull request cannot change`,
      reason: 'Forbidden',
    },
    {
      expression: `!(${has(version)}) || ${label(version)} == 'latest'`,
      message: `a preview namespace enforces the latest version of its Pod Security Standard (label ${version})`,
      reason: 'Forbidden',
    },
    ...Object.entries(props.namespaceLabels).map(([key, value]) => ({
      expression: `${has(key)} && ${label(key)} == ${celString(value)}`,
      message: `a preview namespace keeps the label ${key}=${value}, which its admission policies select it by`,
      reason: 'Forbidden' as const,
    })),
  ];
}

/** A pattern as a message shows it: `pr-{{number}}` → `pr-<number>`. */
function readablePattern(pattern: string): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => `<${name}>`);
}
