/**
 * One Deployment, StatefulSet or CronJob as a service of dynenv.yaml: its main container (the first), init
 * containers, volumes, probes, ports (from the Service that fronts it), security and scheduling. Every field the
 * model has no word for goes into the service's patch, unchanged, and is named in a note.
 */
import { quantityOrNaN } from '../config/quantity.ts';
import { DEFAULT_RESOURCES } from '../config/service-schema.ts';
import type { WorkloadKind } from '../config/workload-kind-schema.ts';
import { importEnv, type InlinableConfigMaps } from './import-env.ts';
import { importPorts } from './import-ports.ts';
import { importProbes } from './import-probes.ts';
import { importSecurity } from './import-security.ts';
import { importVolumes, type FileSource } from './import-volumes.ts';
import { decideImage } from './image-origin.ts';
import { ManifestError, describeManifest, type Manifest } from './manifests.ts';
import { WorkloadPatch } from './pod-patch.ts';
import type { Json } from './json.ts';

/** What the rest of the input tells about one workload. */
export interface WorkloadContext {
  /** The Service whose ports and names the service takes (same name, or the only one that selects the pods). */
  readonly primaryService?: Manifest;
  readonly applicationFolders: ReadonlySet<string>;
  readonly fileSources: ReadonlyMap<string, FileSource>;
  readonly inlineConfigMaps: InlinableConfigMaps;
}

export interface ImportedWorkload {
  /** The service as dynenv.yaml writes it (defaults left out). */
  readonly service: Record<string, unknown>;
  /** Per-environment settings of dev, staging and prod (replicas, digest pins). */
  readonly environments: Record<string, unknown>;
  readonly files: Map<string, string>;
  readonly privileged: boolean;
  readonly notes: string[];
}

// Pod spec fields the model carries (others go into the patch).
const POD_FIELDS = new Set([
  'containers',
  'initContainers',
  'volumes',
  'securityContext',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'terminationGracePeriodSeconds',
  'nodeSelector',
  'tolerations',
  'affinity',
  'restartPolicy',
]);
const CONTAINER_FIELDS = new Set([
  'name',
  'image',
  'imagePullPolicy',
  'command',
  'args',
  'ports',
  'env',
  'envFrom',
  'resources',
  'readinessProbe',
  'livenessProbe',
  'startupProbe',
  'volumeMounts',
  'securityContext',
  'terminationMessagePath',
  'terminationMessagePolicy',
]);
const SPEC_FIELDS: Record<WorkloadKind, Set<string>> = {
  Deployment: new Set(['replicas', 'selector', 'template']),
  StatefulSet: new Set(['replicas', 'selector', 'template', 'serviceName', 'volumeClaimTemplates']),
  CronJob: new Set([
    'schedule',
    'jobTemplate',
    'concurrencyPolicy',
    'timeZone',
    'startingDeadlineSeconds',
    'successfulJobsHistoryLimit',
    'failedJobsHistoryLimit',
    'suspend',
  ]),
};
const SELECTOR_LABELS = new Set(['app.kubernetes.io/name', 'app.kubernetes.io/part-of']);

export function importWorkload(manifest: Manifest, context: WorkloadContext): ImportedWorkload {
  const kind = manifest.kind as WorkloadKind;
  const name = manifest.name;
  const where = name;
  const spec: Json = manifest.body.spec ?? {};
  const template: Json = (kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template) ?? {};
  const pod: Json = template.spec ?? {};
  const upstreamMain: Json | undefined = pod.containers?.[0];
  if (!upstreamMain) throw new ManifestError(describeManifest(manifest), 'has no containers (spec.template.spec.containers)');
  // dynenv names the main container after the service; patches address it by that name.
  const main: Json = { ...upstreamMain, name };
  const patch = new WorkloadPatch(kind);
  const notes: string[] = [];
  const environments: Record<string, Json> = {};
  const forEachPinned = (values: Json) => {
    for (const environment of ['dev', 'staging', 'prod']) environments[environment] = { ...environments[environment], ...values };
  };

  const service: Json = { name };
  if (kind !== 'Deployment') service.kind = kind;
  if (upstreamMain.name !== name) notes.push(`${where}: the main container "${upstreamMain.name}" is named "${name}" (dynenv names it after the service)`);

  // Image.
  const image = decideImage(String(upstreamMain.image ?? ''), context.applicationFolders);
  if ('problem' in image) throw new ManifestError(describeManifest(manifest), image.problem);
  service.image = image.image;
  if (image.builtHere && /[:@]/.test(image.image.slice(image.image.lastIndexOf('/')))) service.builtHere = true;
  if (image.digest) forEachPinned({ digest: image.digest });
  if (image.note) notes.push(`${where}: ${image.note}`);

  // CronJob schedule and job.
  if (kind === 'CronJob') {
    service.schedule = spec.schedule;
    const jobSpec: Json = spec.jobTemplate?.spec ?? {};
    const job: Json = {
      ...(spec.concurrencyPolicy && spec.concurrencyPolicy !== 'Forbid' && { concurrencyPolicy: spec.concurrencyPolicy }),
      ...pick(spec, ['timeZone', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']),
      ...pick(jobSpec, ['backoffLimit', 'activeDeadlineSeconds']),
      ...(pod.restartPolicy === 'Never' && { restartPolicy: 'Never' }),
    };
    if (spec.concurrencyPolicy === undefined) {
      notes.push(`${where}: concurrencyPolicy is dynenv's Forbid (Kubernetes' default, upstream's, is Allow): runs never overlap`);
    }
    if (Object.keys(job).length > 0) service.job = job;
    for (const [field, value] of Object.entries(jobSpec)) {
      if (!['template', 'backoffLimit', 'activeDeadlineSeconds'].includes(field)) {
        patch.jobSpec(field, value);
        notes.push(`${where}: jobTemplate.spec.${field} has no field in dynenv.yaml: carried by the patch`);
      }
    }
    if (spec.suspend === true) notes.push(`${where}: suspended upstream: set environments.<env>.services.${name}.suspend where it should stay so`);
  }

  // Ports, from the container and the Service in front of it.
  const containerPorts: Json[] = upstreamMain.ports ?? [];
  const ports = kind === 'CronJob' ? undefined : importPorts(containerPorts, context.primaryService);
  if (ports) service.ports = ports;
  if (kind === 'CronJob' && containerPorts.length > 0) notes.push(`${where}: a CronJob serves nothing: its container ports are left out`);

  // Probes.
  if (kind !== 'CronJob') {
    const { probes, uncarried } = importProbes(upstreamMain, containerPorts, ports ?? []);
    if (probes.readiness === undefined) {
      probes.readiness = false;
      notes.push(`${where}: no readiness probe upstream: probes.readiness: false (ready once started, as upstream); add a probe if it serves traffic`);
    }
    service.probes = probes;
    for (const [field, probe] of Object.entries(uncarried)) patch.container('containers', name, { [field]: probe });
  }

  // Command, args, env.
  if (upstreamMain.command) service.command = upstreamMain.command.map(String);
  if (upstreamMain.args) service.args = upstreamMain.args.map(String);
  const env = importEnv(upstreamMain, context.inlineConfigMaps, where);
  if (Object.keys(env.env).length > 0) service.env = env.env;
  if (env.envFrom.length > 0) service.envFrom = env.envFrom;
  if (env.uncarried.length > 0) patch.container('containers', name, { env: env.uncarried });
  notes.push(...env.notes);

  // Volumes.
  const claimTemplates: Json[] = kind === 'StatefulSet' ? (spec.volumeClaimTemplates ?? []) : [];
  const volumes = importVolumes({ pod, main, claimTemplates, fileSources: context.fileSources, patch, where });
  if (volumes.volumes.length > 0) service.volumes = volumes.volumes;
  notes.push(...volumes.notes);

  // Init containers (and native sidecars).
  const initContainers = ((pod.initContainers ?? []) as Json[]).map((container) => {
    const decided = decideImage(String(container.image ?? ''), context.applicationFolders);
    if ('problem' in decided) throw new ManifestError(describeManifest(manifest), `init container ${container.name}: ${decided.problem}`);
    if (decided.digest) notes.push(`${where}: init container ${container.name} keeps its digest in "image" (builtHere: false)`);
    const initEnv = importEnv(container, context.inlineConfigMaps, `${where} init container ${container.name}`);
    notes.push(...initEnv.notes);
    if (initEnv.uncarried.length > 0) patch.container('initContainers', container.name, { env: initEnv.uncarried });
    const sidecar = container.restartPolicy === 'Always';
    const resources = importResources(container, patch, 'initContainers', container.name, notes, `${where} init container ${container.name}`);
    for (const field of Object.keys(container).filter((key) => !CONTAINER_FIELDS.has(key) && key !== 'restartPolicy')) {
      patch.container('initContainers', container.name, { [field]: container[field] });
      notes.push(`${where}: init container ${container.name} sets ${field}: carried by the patch`);
    }
    const mounts = volumes.initMounts.get(container.name) ?? [];
    const initPorts = sidecar ? importPorts(container.ports ?? [], undefined) : undefined;
    return {
      name: container.name,
      image: decided.digest ? String(container.image) : decided.image,
      ...(decided.builtHere && !decided.digest && /[:@]/.test(decided.image.slice(decided.image.lastIndexOf('/'))) && { builtHere: true }),
      ...(decided.digest && { builtHere: false }),
      ...(sidecar && { sidecar: true }),
      ...(container.command && { command: container.command.map(String) }),
      ...(container.args && { args: container.args.map(String) }),
      ...(Object.keys(initEnv.env).length > 0 && { env: initEnv.env }),
      ...(initEnv.envFrom.length > 0 && { envFrom: initEnv.envFrom }),
      ...(resources && { resources }),
      ...(mounts.length > 0 && { volumeMounts: mounts }),
      ...(initPorts && { ports: initPorts }),
      ...(sidecar && { probes: { readiness: false, ...importProbes(container, container.ports ?? [], initPorts ?? []).probes } }),
    };
  });
  if (initContainers.length > 0) service.initContainers = initContainers;

  // Resources of the main container.
  const resources = importResources(upstreamMain, patch, 'containers', name, notes, where);
  if (resources) service.resources = resources;

  // Pod metadata, identity, shutdown, security, scheduling.
  const labels = Object.fromEntries(Object.entries(template.metadata?.labels ?? {}).filter(([key]) => !SELECTOR_LABELS.has(key)));
  if (Object.keys(labels).length > 0) service.podLabels = labels;
  if (template.metadata?.annotations && Object.keys(template.metadata.annotations).length > 0) service.podAnnotations = template.metadata.annotations;
  if (pod.terminationGracePeriodSeconds !== undefined) service.terminationGracePeriodSeconds = pod.terminationGracePeriodSeconds;
  const account = pod.serviceAccountName ?? pod.serviceAccount;
  if (account !== undefined && account !== name) {
    patch.pod('serviceAccountName', account);
    notes.push(`${where}: runs as ServiceAccount ${account} (not dynenv's "${name}"): carried by the patch; that ServiceAccount must exist`);
  }
  if (pod.automountServiceAccountToken === true) service.serviceAccount = { automountToken: true };
  const security = importSecurity(pod, main, patch, where);
  if (security.securityContext) service.securityContext = security.securityContext;
  notes.push(...security.notes);
  const scheduling = pick(pod, ['nodeSelector', 'tolerations', 'affinity']);
  if (Object.keys(scheduling).length > 0) service.scheduling = scheduling;
  if (kind !== 'CronJob' && pod.restartPolicy !== undefined && pod.restartPolicy !== 'Always') {
    notes.push(`${where}: restartPolicy ${pod.restartPolicy} is not possible for a ${kind}: left out`);
  }

  // What the model has no word for: the patch.
  for (const field of Object.keys(pod).filter((key) => !POD_FIELDS.has(key))) {
    patch.pod(field, pod[field]);
    notes.push(`${where}: pod field ${field} has no field in dynenv.yaml: carried by the patch`);
  }
  for (const field of Object.keys(upstreamMain).filter((key) => !CONTAINER_FIELDS.has(key))) {
    patch.container('containers', name, { [field]: upstreamMain[field] });
    notes.push(`${where}: container field ${field} has no field in dynenv.yaml: carried by the patch`);
  }
  for (const container of ((pod.containers ?? []) as Json[]).slice(1)) {
    patch.container('containers', container.name, container);
    notes.push(
      `${where}: second container ${container.name} is carried whole by the patch (dynenv hardens only the first; consider initContainers with sidecar: true)`,
    );
  }
  for (const field of Object.keys(spec).filter((key) => !SPEC_FIELDS[kind].has(key))) {
    patch.spec(field, spec[field]);
    notes.push(`${where}: spec.${field} has no field in dynenv.yaml: carried by the patch`);
  }
  if (kind === 'StatefulSet' && spec.serviceName !== undefined && spec.serviceName !== name) {
    patch.spec('serviceName', spec.serviceName);
    notes.push(
      `${where}: its pods are named through Service ${spec.serviceName} (spec.serviceName): carried by the patch; dynenv's headless Service "${name}" is there as well`,
    );
  }
  if (!patch.isEmpty) service.patches = [{ patch: patch.toJSON() }];

  // Replicas are per environment; previews keep one.
  if (kind !== 'CronJob' && typeof spec.replicas === 'number' && spec.replicas !== 1) forEachPinned({ replicas: spec.replicas });
  return { service, environments, files: volumes.files, privileged: security.privileged, notes };
}

/**
 * Requests and limits as dynenv.yaml writes them; resources it has no word for (ephemeral-storage, GPUs) go into the
 * patch. dynenv requires a CPU and memory request and a memory limit of every container: what upstream leaves out
 * is dynenv's default, said in `notes`.
 */
function importResources(
  container: Json,
  patch: WorkloadPatch,
  list: 'containers' | 'initContainers',
  name: string,
  notes: string[],
  where: string,
): Json | undefined {
  const upstream: Json = container.resources ?? {};
  const amounts = (values: Json | undefined) => {
    const out: Json = {};
    const rest: Json = {};
    for (const [key, value] of Object.entries(values ?? {})) (key === 'cpu' || key === 'memory' ? out : rest)[key] = String(value);
    return { out, rest };
  };
  const requests = amounts(upstream.requests);
  const limits = amounts(upstream.limits);
  const rest = {
    ...(Object.keys(requests.rest).length > 0 && { requests: requests.rest }),
    ...(Object.keys(limits.rest).length > 0 && { limits: limits.rest }),
  };
  if (Object.keys(rest).length > 0) patch.container(list, name, { resources: rest });
  if (Object.keys(requests.out).length === 0 && Object.keys(limits.out).length === 0) {
    notes.push(
      `${where}: no resources upstream: dynenv's defaults (requests ${DEFAULT_RESOURCES.requests.cpu} CPU, ${DEFAULT_RESOURCES.requests.memory}; limit ${DEFAULT_RESOURCES.limits.memory}) apply; set resources to what it needs`,
    );
    return undefined;
  }
  // Kubernetes takes a missing request from the limit; dynenv's defaults fill in the rest, never below upstream's request.
  const request: Json = { ...limits.out, ...requests.out };
  delete request.cpu;
  if (requests.out.cpu ?? limits.out.cpu) request.cpu = requests.out.cpu ?? limits.out.cpu;
  const limit: Json = { ...limits.out };
  const filled: string[] = [];
  if (request.cpu === undefined) filled.push(`requests.cpu ${(request.cpu = DEFAULT_RESOURCES.requests.cpu)}`);
  if (request.memory === undefined) filled.push(`requests.memory ${(request.memory = DEFAULT_RESOURCES.requests.memory)}`);
  if (limit.memory === undefined) {
    limit.memory = larger(request.memory, DEFAULT_RESOURCES.limits.memory);
    filled.push(`limits.memory ${limit.memory}`);
  }
  if (filled.length > 0)
    notes.push(`${where}: upstream sets no ${filled.map((item) => item.split(' ')[0]).join(', ')}: dynenv's ${filled.join(', ')}; set what it needs`);
  return { requests: orderedAmounts(request), limits: orderedAmounts(limit) };
}

function orderedAmounts(amounts: Json): Json {
  return { ...(amounts.cpu !== undefined && { cpu: amounts.cpu }), ...(amounts.memory !== undefined && { memory: amounts.memory }) };
}

/** The larger of two memory quantities, as written. */
function larger(a: string, b: string): string {
  return quantityOrNaN(a) >= quantityOrNaN(b) ? a : b;
}

function pick(source: Json, fields: readonly string[]): Json {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]));
}
