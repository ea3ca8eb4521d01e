/**
 * A whole application's manifests as one dynenv.yaml: each Deployment, StatefulSet and CronJob becomes a service,
 * Services give it its ports, HorizontalPodAutoscalers its autoscaling, ConfigMaps become repository files or
 * literal env; objects dynenv writes itself (Namespaces, NetworkPolicies, PodDisruptionBudgets, ServiceAccounts of
 * the services) are left to it, and the rest the workloads need is kept unchanged in each overlay's user-owned
 * `extra/` folder. Every object of the input gets one outcome, printed by `dynenv init --from`.
 */
import { stringify } from 'yaml';
import { importAutoscaling } from './import-autoscaling.ts';
import type { InlinableConfigMaps } from './import-env.ts';
import { ImportNotes } from './import-notes.ts';
import { decidePodSecurity } from './import-pod-security.ts';
import { selects, targetContainerPort } from './import-ports.ts';
import type { FileSource } from './import-volumes.ts';
import { importWorkload, type ImportedWorkload } from './import-workload.ts';
import { applicationFolders } from './image-origin.ts';
import { describeManifest, ManifestError, type Manifest } from './manifests.ts';
import { previewRefusals } from './preview-refusals.ts';
import { referencedObjects } from './referenced-objects.ts';
import { sizeQuotas } from './size-quotas.ts';
import type { Json } from './json.ts';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'CronJob'] as const;
/** Kinds kept unchanged in the overlays' extra/ when the workloads need them (all admitted in a preview). */
const INCLUDED_KINDS = new Set(['Service', 'ConfigMap', 'ServiceAccount', 'PersistentVolumeClaim']);
/** The user-owned folder of each overlay, which synth lists and never touches (`gitops/overlays/<env>/extra/`). */
const EXTRA_FOLDERS = ['dev', 'staging', 'prod', 'preview'].map((environment) => `gitops/overlays/${environment}/extra`);
/** Folder, next to dynenv.yaml, of the repository files of `files` volumes. */
export const CONFIG_FOLDER = 'config';

export interface ImportOptions {
  readonly app: string;
  readonly repositoryUrl?: string;
  /** The dynenv image for the Argo CD objects, when there is a repository. */
  readonly pluginImage?: string;
}

export interface ImportedApplication {
  /** dynenv.yaml as data, defaults left out. */
  readonly config: Json;
  /** Notes on each service, by its name (comments above it in dynenv.yaml). */
  readonly serviceNotes: ReadonlyMap<string, readonly string[]>;
  /** Where each service came from ("Deployment frontend, file:line"). */
  readonly origins: ReadonlyMap<string, string>;
  /** Files to write, relative to dynenv.yaml: repository files of `files` volumes, objects kept in gitops/overlays/<env>/extra/. */
  readonly files: ReadonlyMap<string, string>;
  /** The services previews leave out (`enabled: false` there), each with what of it a preview's fence refuses. */
  readonly leftOutOfPreviews: ReadonlyMap<string, readonly string[]>;
  readonly notes: ImportNotes;
}

export function importApplication(manifests: readonly Manifest[], options: ImportOptions): ImportedApplication {
  checkUnique(manifests);
  const notes = new ImportNotes(manifests);
  const workloads = manifests.filter((manifest) => (WORKLOAD_KINDS as readonly string[]).includes(manifest.kind));
  if (workloads.length === 0)
    throw new ManifestError(
      manifests
        .map((manifest) => manifest.file)
        .filter(unique)
        .join(', '),
      'no Deployment, StatefulSet or CronJob to import',
    );
  const podLabels = new Map(workloads.map((workload) => [workload, podTemplate(workload).metadata?.labels ?? {}]));
  const byName = new Map(workloads.map((workload) => [workload.name, workload]));
  // A workload whose pods a preview's fence refuses is left out of previews, and so is what only it uses.
  const refusals = new Map(workloads.map((workload) => [workload, previewRefusals(podTemplate(workload).spec ?? {})] as const));
  const leftOut = (workload: Manifest) => refusals.get(workload)!.length > 0;
  const files = new Map<string, string>();
  const keep = (manifest: Manifest, why: string, users: readonly Manifest[] = []) => {
    const file = `${manifest.kind.toLowerCase()}-${manifest.name}.yaml`;
    const notInPreviews = users.length > 0 && users.every(leftOut);
    for (const folder of EXTRA_FOLDERS) if (!(notInPreviews && folder.includes('/preview/'))) files.set(`${folder}/${file}`, includedText(manifest));
    const previews = notInPreviews ? `; not in previews, which leave out ${users.map((workload) => workload.name).join(', ')}` : '';
    notes.outcome(manifest, `kept unchanged in gitops/overlays/<env>/extra/${file} (yours; synth never touches it): ${why}${previews}`);
  };

  // Services: the one named after a workload gives it its ports; any other is kept, or becomes the Ingress.
  const services = manifests.filter((manifest) => manifest.kind === 'Service');
  const primary = new Map<Manifest, Manifest>();
  const ingress = new Set<string>();
  for (const workload of workloads) {
    const selecting = services.filter((service) => workload.kind !== 'CronJob' && selects(service, podLabels.get(workload)!));
    const governing = workload.kind === 'StatefulSet' ? workload.body.spec?.serviceName : undefined;
    const portSource = selecting.find((service) => service.name === workload.name) ?? selecting.find((service) => service.name === governing) ?? selecting[0];
    if (portSource) primary.set(workload, portSource);
  }
  const workloadOf = (service: Manifest) => workloads.filter((workload) => workload.kind !== 'CronJob' && selects(service, podLabels.get(workload)!));
  for (const service of services) {
    const selected = workloadOf(service);
    const type = service.body.spec?.type ?? 'ClusterIP';
    if (selected.length === 1 && service.name === selected[0]!.name) {
      notes.outcome(service, `ports of service ${service.name}${type !== 'ClusterIP' ? ` (its type ${type} is ClusterIP in dynenv)` : ''}`);
      continue;
    }
    if (selected.length === 1 && (type === 'LoadBalancer' || type === 'NodePort') && exposesOnlyHttp(service, selected[0]!)) {
      ingress.add(selected[0]!.name);
      notes.outcome(
        service,
        `ingress: true on service ${selected[0]!.name}: an Ingress at each environment's host instead of a ${type} Service (set environments.<env>.host and preview.host)`,
      );
      continue;
    }
    keep(
      service,
      selected.length === 0 ? 'it selects no imported workload' : `a second Service of ${selected.map((workload) => workload.name).join(', ')}`,
      selected,
    );
  }

  // ConfigMaps: mounted by one workload only → repository files; read as env only → literals; else kept.
  const usage = referencedObjects(workloads);
  const fileSources = new Map<Manifest, Map<string, FileSource>>(workloads.map((workload) => [workload, new Map()]));
  const inline = new Map<string, Record<string, string>>();
  for (const configMap of manifests.filter((manifest) => manifest.kind === 'ConfigMap')) {
    const mountedBy = usage.configMapVolumes.get(configMap.name) ?? new Set();
    const readBy = usage.configMapEnv.get(configMap.name) ?? new Set();
    const binary = configMap.body.binaryData !== undefined;
    const data: Record<string, string> = Object.fromEntries(Object.entries(configMap.body.data ?? {}).map(([key, value]) => [key, String(value)]));
    if (!binary && mountedBy.size === 1 && readBy.size === 0) {
      const [workload] = [...mountedBy];
      fileSources.get(workload!)!.set(configMap.name, { data, folder: `${CONFIG_FOLDER}/${configMap.name}` });
      notes.outcome(
        configMap,
        `files of ${CONFIG_FOLDER}/${configMap.name}/, mounted by service ${workload!.name} (a "files" volume: synth generates the ConfigMap)`,
      );
    } else if (!binary && mountedBy.size === 0 && readBy.size > 0) {
      inline.set(configMap.name, data);
      notes.outcome(configMap, `literal env of ${[...readBy].map((workload) => workload.name).join(', ')}`);
    } else {
      keep(configMap, mountedBy.size + readBy.size === 0 ? 'no imported workload uses it' : 'several workloads use it', [
        ...new Set([...mountedBy, ...readBy]),
      ]);
    }
  }

  // The workloads.
  const folders = applicationFolders(workloads.flatMap((workload) => podImages(workload)));
  const imported = new Map<Manifest, ImportedWorkload>();
  for (const workload of workloads) {
    const result = importWorkload(workload, {
      primaryService: primary.get(workload),
      applicationFolders: folders,
      fileSources: fileSources.get(workload)!,
      inlineConfigMaps: inline as InlinableConfigMaps,
    });
    if (ingress.has(workload.name)) result.service.ingress = true;
    imported.set(workload, result);
    for (const [file, text] of result.files) files.set(file, text);
    const previews = leftOut(workload) ? `; left out of previews (${refusals.get(workload)!.join(', ')})` : '';
    notes.outcome(
      workload,
      `service ${workload.name}${workload.kind === 'Deployment' ? '' : ` (kind: ${workload.kind})`}${result.service.patches ? ', with a patch' : ''}${previews}`,
    );
  }

  // Autoscalers, ServiceAccounts and everything else.
  const environments: Record<string, Json> = { dev: {}, staging: {}, prod: {}, preview: {} };
  const serviceOverride = (environment: string, service: string, values: Json) => {
    const services = (environments[environment]!.services ??= {});
    services[service] = { ...services[service], ...values };
  };
  for (const [workload, result] of imported) {
    for (const [environment, values] of Object.entries(result.environments)) serviceOverride(environment, workload.name, values as Json);
    if (leftOut(workload)) serviceOverride('preview', workload.name, { enabled: false });
  }
  for (const manifest of manifests) {
    if ((WORKLOAD_KINDS as readonly string[]).includes(manifest.kind) || manifest.kind === 'Service' || manifest.kind === 'ConfigMap') continue;
    if (manifest.kind === 'HorizontalPodAutoscaler') {
      const target = manifest.body.spec?.scaleTargetRef;
      const workload = target && byName.get(target.name);
      if (!workload || workload.kind !== target.kind) {
        notes.outcome(manifest, `left out: its target ${target?.kind}/${target?.name} is not among the imported workloads`);
        continue;
      }
      const { autoscaling, note } = importAutoscaling(manifest);
      for (const environment of ['dev', 'staging', 'prod']) serviceOverride(environment, workload.name, { autoscaling });
      notes.outcome(manifest, `environments.{dev,staging,prod}.services.${workload.name}.autoscaling (previews keep one pod)${note ? `; ${note}` : ''}`);
    } else if (manifest.kind === 'ServiceAccount' && byName.has(manifest.name)) {
      const annotations = manifest.body.metadata?.annotations;
      if (annotations && Object.keys(annotations).length > 0) {
        imported.get(byName.get(manifest.name)!)!.service.serviceAccount = {
          ...(imported.get(byName.get(manifest.name)!)!.service.serviceAccount as Json),
          annotations,
        };
      }
      notes.outcome(manifest, `the ServiceAccount dynenv makes for service ${manifest.name} (its token is not mounted unless serviceAccount.automountToken)`);
    } else if (manifest.kind === 'Ingress') {
      const backends = ingressBackends(manifest);
      const target = backends.length > 0 && backends.every((name) => name === backends[0]) ? byName.get(backends[0]!) : undefined;
      const hosts = ((manifest.body.spec?.rules ?? []) as Json[]).map((rule) => rule.host).filter(Boolean);
      if (target && target.kind !== 'CronJob' && imported.has(target)) {
        imported.get(target)!.service.ingress = true;
        notes.outcome(
          manifest,
          `ingress: true on service ${target.name}: set environments.<env>.host${hosts.length > 0 ? ` (upstream's: ${hosts.join(', ')})` : ''} and preview.host`,
        );
      } else {
        notes.outcome(
          manifest,
          `left out: its backends (${backends.join(', ') || 'none'}) are not one imported service; dynenv's Ingress routes to one service per host (ingress: true)`,
        );
      }
    } else if (manifest.kind === 'Namespace') {
      notes.outcome(manifest, "left out: dynenv makes each environment's namespace (environments.<env>.namespace)");
    } else if (manifest.kind === 'NetworkPolicy') {
      notes.outcome(manifest, "left out: dynenv writes each environment's NetworkPolicies (allowFrom/talksTo say who calls whom)");
    } else if (manifest.kind === 'PodDisruptionBudget') {
      notes.outcome(manifest, 'left out: dynenv writes a PodDisruptionBudget for each service with more than one pod (environments.<env>.disruptionBudget)');
    } else if (manifest.kind === 'Secret') {
      notes.outcome(manifest, 'left out: dynenv never writes Secrets into Git; create it in each namespace (it is listed under external.secrets)');
    } else if (INCLUDED_KINDS.has(manifest.kind)) {
      keep(manifest, 'the workloads may need it');
    } else {
      notes.outcome(
        manifest,
        `left out: a ${manifest.kind} is not part of an application's workloads; add it under gitops/overlays/<env>/extra/ if it must be`,
      );
    }
  }

  // Pod Security: never weakened silently; previews only as far as the pods they run need.
  const leftOutOfPreviews = new Map(workloads.filter(leftOut).map((workload) => [workload.name, refusals.get(workload)!]));
  const podSecurity = decidePodSecurity(new Map([...imported].map(([workload, result]) => [workload.name, result])), new Set(leftOutOfPreviews.keys()));
  for (const [name, environment] of Object.entries(environments)) {
    const level = name === 'preview' ? podSecurity.preview : podSecurity.pinned;
    if (level !== 'restricted') environment.podSecurity = level;
  }
  podSecurity.notes.forEach((note) => notes.note(note));
  for (const [name, reasons] of leftOutOfPreviews) {
    imported
      .get(byName.get(name)!)!
      .notes.push(
        `${name}: ${reasons.join(', ')}, which a preview's fence refuses at any Pod Security level (a pull request never gets privileged pods): ` +
          `left out of previews (environments.preview.services.${name}.enabled: false)`,
      );
  }

  const external = {
    ...(usage.secrets.size > 0 && { secrets: [...usage.secrets].sort() }),
    ...listed(
      'configMaps',
      [...usage.configMaps].filter((name) => !manifests.some((manifest) => manifest.kind === 'ConfigMap' && manifest.name === name)),
    ),
    ...listed(
      'serviceAccounts',
      [...usage.serviceAccounts].filter(
        (name) => !byName.has(name) && !manifests.some((manifest) => manifest.kind === 'ServiceAccount' && manifest.name === name),
      ),
    ),
  };
  const config = assemble();
  const { quotas, notes: quotaNotes } = sizeQuotas(config);
  for (const [environment, quota] of Object.entries(quotas)) environments[environment]!.quota = quota;
  quotaNotes.forEach((note) => notes.note(note));
  const serviceNotes = new Map([...imported].map(([workload, result]) => [workload.name, result.notes]));
  const origins = new Map(workloads.map((workload) => [workload.name, describeManifest(workload)]));
  return { config: assemble(), serviceNotes, origins, files, leftOutOfPreviews, notes };

  function assemble(): Json {
    return {
      app: options.app,
      ...(options.repositoryUrl && { repository: { url: options.repositoryUrl } }),
      services: [...imported.values()].map((result) => result.service),
      ...(Object.values(environments).some((environment) => Object.keys(environment).length > 0) && {
        environments: Object.fromEntries(Object.entries(environments).filter(([, environment]) => Object.keys(environment).length > 0)),
      }),
      ...(Object.keys(external).length > 0 && { external }),
      ...(options.repositoryUrl && options.pluginImage && { argocd: { plugin: { image: options.pluginImage } } }),
    };
  }
}

/** The Services an Ingress sends to (networking.k8s.io/v1). */
function ingressBackends(ingress: Manifest): string[] {
  const spec: Json = ingress.body.spec ?? {};
  const paths: Json[] = ((spec.rules ?? []) as Json[]).flatMap((rule) => rule.http?.paths ?? []);
  return [spec.defaultBackend, ...paths.map((entry) => entry.backend)]
    .map((backend: Json | undefined) => backend?.service?.name)
    .filter((name): name is string => typeof name === 'string');
}

function listed(field: string, names: string[]): Json {
  return names.length > 0 ? { [field]: names.sort() } : {};
}

function podTemplate(workload: Manifest): Json {
  const spec = workload.body.spec ?? {};
  return (workload.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template) ?? {};
}

function podImages(workload: Manifest): string[] {
  const pod = podTemplate(workload).spec ?? {};
  return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].map((container: Json) => String(container.image ?? ''));
}

/** A LoadBalancer/NodePort Service that sends one port to the workload's HTTP port: what an Ingress does better. */
function exposesOnlyHttp(service: Manifest, workload: Manifest): boolean {
  const ports: Json[] = service.body.spec?.ports ?? [];
  if (ports.length !== 1) return false;
  const container = podTemplate(workload).spec?.containers?.[0] ?? {};
  const target = targetContainerPort(ports[0]!, container.ports ?? []);
  return target !== undefined && (ports[0]!.name === 'http' || (container.ports ?? []).length <= 1);
}

/** The object as the user will own it: without its namespace (each environment's applies) and cluster-set fields. */
function includedText(manifest: Manifest): string {
  const { status: _status, ...body } = manifest.body;
  const metadata = { ...body.metadata };
  for (const field of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']) delete metadata[field];
  return `# ${manifest.kind} ${manifest.name} from ${manifest.file}:${manifest.line}, kept unchanged by \`dynenv init --from\`.\n${stringify({ ...body, metadata })}`;
}

function checkUnique(manifests: readonly Manifest[]): void {
  const seen = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const key = `${manifest.kind}/${manifest.name}`;
    const first = seen.get(key);
    if (first)
      throw new ManifestError(describeManifest(manifest), `a second ${key} (the first is at ${first.file}:${first.line}); import one application at a time`);
    seen.set(key, manifest);
  }
  for (const kind of WORKLOAD_KINDS) {
    for (const other of WORKLOAD_KINDS) {
      if (kind >= other) continue;
      for (const manifest of manifests.filter((item) => item.kind === kind)) {
        const clash = manifests.find((item) => item.kind === other && item.name === manifest.name);
        if (clash)
          throw new ManifestError(
            describeManifest(clash),
            `has the name of ${describeManifest(manifest)}: dynenv names a service, its workload and its Service alike`,
          );
      }
    }
  }
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
