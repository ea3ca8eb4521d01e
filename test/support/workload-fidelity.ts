/**
 * Compares the workloads and Services of a rendered environment with the upstream manifests they were imported
 * from, field by field as a caller or an operator sees them: Service names and ports (port → target container
 * port), container ports, each probe's kind with its port, path, headers and timings, literal env (wherever the
 * rendered pod reads it from: its env or a ConfigMap), env references, mount paths, command and args, init
 * containers. It returns one line per difference; the differences dynenv is allowed to make (its hardening) are
 * given by the caller, so that the test states them.
 */
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';

type Json = Record<string, any>;

export interface AllowedDifferences {
  /** Mount paths dynenv adds to every container (its /tmp emptyDir). */
  readonly addedMountPaths: readonly string[];
  /** Literal env dynenv adds to every main container where upstream does not set the variable (HOME=/tmp). */
  readonly addedEnv: Readonly<Record<string, string>>;
  /** ConfigMaps an environment adds to every main container's envFrom (a preview's identity). */
  readonly addedEnvFromConfigMaps: readonly string[];
  /** Upstream Services replaced by `ingress: true` on the service they select. */
  readonly servicesReplacedByIngress: readonly string[];
  /** Whether images built here may run another tag (a preview runs its pull request's build). */
  readonly builtImagesRetagged: boolean;
  /** Images this application builds (repository without tag). */
  readonly builtImages: ReadonlySet<string>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'CronJob']);
const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const TIMINGS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const;

function podSpec(object: Json): Json {
  return (object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template?.spec : object.spec?.template?.spec) ?? {};
}

function podLabels(object: Json): Json {
  return (object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template?.metadata?.labels : object.spec?.template?.metadata?.labels) ?? {};
}

const key = (object: Json) => `${object.kind}/${object.metadata.name}`;

/** Every difference between `upstream` and `rendered` beyond `allowed`, one line each, sorted. */
export function workloadDifferences(upstream: readonly Json[], rendered: readonly KubernetesObject[], allowed: AllowedDifferences): string[] {
  const differences: string[] = [];
  const renderedByKey = new Map(rendered.map((object) => [key(object), object as Json]));
  const configMapsOf = (objects: readonly Json[]) =>
    new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata.name as string, (object.data ?? {}) as Json]));
  const configMaps = { upstream: configMapsOf(upstream), rendered: configMapsOf(rendered as readonly Json[]) };
  const upstreamWorkloads = upstream.filter((object) => WORKLOAD_KINDS.has(object.kind));
  for (const workload of upstreamWorkloads) {
    const mine = renderedByKey.get(key(workload));
    if (!mine) {
      differences.push(`${key(workload)}: missing`);
      continue;
    }
    const at = key(workload);
    const [upstreamMain, ...upstreamOthers] = podSpec(workload).containers ?? [];
    const [renderedMain, ...renderedOthers] = podSpec(mine).containers ?? [];
    differences.push(...compareContainer(`${at} main container`, upstreamMain, renderedMain, { configMaps, allowed, main: true }));
    differences.push(
      ...compareList(
        `${at} other containers`,
        upstreamOthers.map((c: Json) => c.name),
        renderedOthers.map((c: Json) => c.name),
      ),
    );
    const upstreamInit: Json[] = podSpec(workload).initContainers ?? [];
    const renderedInit: Json[] = podSpec(mine).initContainers ?? [];
    differences.push(
      ...compareList(
        `${at} init containers`,
        upstreamInit.map((c) => c.name),
        renderedInit.map((c) => c.name),
      ),
    );
    for (const container of upstreamInit) {
      const other = renderedInit.find((candidate) => candidate.name === container.name);
      if (other) differences.push(...compareContainer(`${at} init container ${container.name}`, container, other, { configMaps, allowed, main: false }));
    }
    if (workload.kind === 'StatefulSet' && workload.spec.serviceName !== mine.spec.serviceName) {
      differences.push(`${at}: serviceName ${mine.spec.serviceName}, upstream ${workload.spec.serviceName}`);
    }
    if (workload.kind === 'CronJob' && workload.spec.schedule !== mine.spec.schedule)
      differences.push(`${at}: schedule ${mine.spec.schedule}, upstream ${workload.spec.schedule}`);
    const upstreamClaims = (workload.spec?.volumeClaimTemplates ?? []).map((claim: Json) => `${claim.metadata.name} ${claim.spec.resources.requests.storage}`);
    const renderedClaims = (mine.spec?.volumeClaimTemplates ?? []).map((claim: Json) => `${claim.metadata.name} ${claim.spec.resources.requests.storage}`);
    differences.push(...compareList(`${at} volume claims`, upstreamClaims, renderedClaims));
  }

  // Services: same names, same ports to the same container ports, selecting the same workload's pods.
  const workloadOf = (service: Json, objects: readonly Json[]) =>
    objects.find(
      (object) =>
        WORKLOAD_KINDS.has(object.kind) &&
        object.kind !== 'CronJob' &&
        Object.keys(service.spec?.selector ?? {}).length > 0 &&
        Object.entries(service.spec.selector).every(([label, value]) => podLabels(object)[label] === value),
    );
  for (const service of upstream.filter((object) => object.kind === 'Service')) {
    if (allowed.servicesReplacedByIngress.includes(service.metadata.name)) {
      if (renderedByKey.has(key(service))) differences.push(`${key(service)}: still there, though replaced by the Ingress`);
      continue;
    }
    const mine = renderedByKey.get(key(service));
    if (!mine) {
      differences.push(`${key(service)}: missing`);
      continue;
    }
    const upstreamTarget = workloadOf(service, upstream);
    const renderedTarget = workloadOf(mine, rendered as readonly Json[]);
    if (upstreamTarget && renderedTarget?.metadata.name !== upstreamTarget.metadata.name) {
      differences.push(`${key(service)}: selects ${renderedTarget ? key(renderedTarget) : 'nothing'}, upstream ${key(upstreamTarget)}`);
    }
    const ports = (object: Json, target: Json | undefined) =>
      (object.spec.ports ?? []).map(
        (port: Json) => `${port.name ?? ''} ${port.port}→${containerPortNumber(port.targetPort ?? port.port, target)}/${port.protocol ?? 'TCP'}`,
      );
    differences.push(...compareList(`${key(service)} ports`, ports(service, upstreamTarget), ports(mine, renderedTarget)));
  }
  // Services dynenv adds are the ones named after a workload (a service's own Service).
  for (const object of rendered.filter((candidate) => candidate.kind === 'Service')) {
    const upstreamHas = upstream.some((candidate) => candidate.kind === 'Service' && candidate.metadata.name === object.metadata.name);
    if (!upstreamHas && !upstreamWorkloads.some((workload) => workload.metadata.name === object.metadata.name)) differences.push(`${key(object)}: added`);
  }
  for (const object of rendered.filter((candidate) => WORKLOAD_KINDS.has(candidate.kind))) {
    if (!upstreamWorkloads.some((workload) => key(workload) === key(object))) differences.push(`${key(object)}: added`);
  }
  return differences.sort();
}

function containerPortNumber(target: number | string, workload: Json | undefined): number | string {
  if (typeof target === 'number') return target;
  const named = (podSpec(workload ?? {}).containers ?? []).flatMap((container: Json) => container.ports ?? []).find((port: Json) => port.name === target);
  return named?.containerPort ?? target;
}

interface ContainerContext {
  readonly configMaps: { readonly upstream: ReadonlyMap<string, Json>; readonly rendered: ReadonlyMap<string, Json> };
  readonly allowed: AllowedDifferences;
  readonly main: boolean;
}

function compareContainer(at: string, upstream: Json, rendered: Json | undefined, context: ContainerContext): string[] {
  if (!rendered) return [`${at}: missing`];
  const differences: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${at} ${what}: ${JSON.stringify(b)}, upstream ${JSON.stringify(a)}`);
  };
  // Image: third-party images exactly; images built here by repository, and by tag unless the environment retags them.
  const [repository, tag] = splitImage(upstream.image);
  const [renderedRepository, renderedTag] = splitImage(rendered.image);
  if (context.allowed.builtImages.has(repository)) {
    same('image repository', repository, renderedRepository);
    if (!context.allowed.builtImagesRetagged) same('image tag', tag, renderedTag);
  } else {
    // As the container runtime reads it: `redis:alpine` is `docker.io/library/redis:alpine`.
    same('image', `${repository}:${tag}@${upstream.image.split('@')[1]}`, `${renderedRepository}:${renderedTag}@${rendered.image.split('@')[1]}`);
  }
  same('command', upstream.command, rendered.command);
  // A container that needs privileges (a sysctl) must keep them, or it fails.
  same('privileged', upstream.securityContext?.privileged === true, rendered.securityContext?.privileged === true);
  same('args', upstream.args, rendered.args);
  const ports = (container: Json) => (container.ports ?? []).map((port: Json) => `${port.containerPort}/${port.protocol ?? 'TCP'}`).sort();
  same('container ports', ports(upstream), ports(rendered));
  for (const probe of PROBES) same(probe, describeProbe(upstream[probe], upstream), describeProbe(rendered[probe], rendered));
  const added = context.allowed.addedEnvFromConfigMaps;
  const upstreamEnv = literalEnv(upstream, context.configMaps.upstream, []);
  const renderedEnv = Object.fromEntries(
    Object.entries(literalEnv(rendered, context.configMaps.rendered, added)).filter(
      ([name, value]) => upstreamEnv[name] !== undefined || context.allowed.addedEnv[name] !== value,
    ),
  );
  same('literal env', upstreamEnv, renderedEnv);
  same('env references', referencedEnv(upstream), referencedEnv(rendered));
  const extraEnvFrom = (rendered.envFrom ?? [])
    .map((source: Json) => source.configMapRef?.name ?? source.secretRef?.name)
    .filter((name: string) => !(upstream.envFrom ?? []).some((source: Json) => (source.configMapRef?.name ?? source.secretRef?.name) === name))
    .filter((name: string) => !(context.main && name === `${rendered.name}-config`) && !context.allowed.addedEnvFromConfigMaps.includes(name));
  if (extraEnvFrom.length > 0) differences.push(`${at} envFrom: also ${extraEnvFrom.join(', ')}`);
  const mounts = (container: Json, dropAdded: boolean) =>
    (container.volumeMounts ?? [])
      .filter((mount: Json) => !(dropAdded && context.allowed.addedMountPaths.includes(mount.mountPath)))
      .map((mount: Json) => `${mount.mountPath}${mount.subPath ? `:${mount.subPath}` : ''}${mount.readOnly ? ' (ro)' : ''}`)
      .sort();
  const upstreamPaths = new Set((upstream.volumeMounts ?? []).map((mount: Json) => mount.mountPath));
  same(
    'mount paths',
    mounts(upstream, false),
    mounts(rendered, true)
      .concat(context.allowed.addedMountPaths.filter((path) => upstreamPaths.has(path)).map((path) => path))
      .sort(),
  );
  return differences;
}

function splitImage(image: string): [string, string | undefined] {
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/')
    ? [normalise(withoutDigest.slice(0, colon)), withoutDigest.slice(colon + 1)]
    : [normalise(withoutDigest), undefined];
}

/** `redis` and `docker.io/library/redis` are one repository. */
function normalise(repository: string): string {
  const parts = repository.split('/');
  const hasDomain = parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost');
  if (hasDomain) return repository;
  return `docker.io/${parts.length === 1 ? 'library/' : ''}${repository}`;
}

function describeProbe(probe: Json | undefined, container: Json): Json | null {
  if (!probe) return null;
  const port = (reference: number | string) =>
    typeof reference === 'number' ? reference : ((container.ports ?? []).find((candidate: Json) => candidate.name === reference)?.containerPort ?? reference);
  const timings = Object.fromEntries(TIMINGS.filter((timing) => probe[timing] !== undefined).map((timing) => [timing, probe[timing]]));
  if (probe.httpGet) {
    const headers = (probe.httpGet.httpHeaders ?? []).map((header: Json) => `${header.name}: ${header.value}`);
    return { http: { path: probe.httpGet.path ?? '/', port: port(probe.httpGet.port), scheme: probe.httpGet.scheme ?? 'HTTP', headers }, ...timings };
  }
  if (probe.grpc) return { grpc: { port: port(probe.grpc.port), service: probe.grpc.service ?? null }, ...timings };
  if (probe.tcpSocket) return { tcp: { port: port(probe.tcpSocket.port) }, ...timings };
  if (probe.exec) return { exec: probe.exec.command, ...timings };
  return { unknown: probe };
}

/** The literal variables the container sees: its ConfigMap sources (in order, but those `ignored`), then its own env, which wins. */
function literalEnv(container: Json, configMaps: ReadonlyMap<string, Json>, ignored: readonly string[]): Json {
  const env: Json = {};
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef ? configMaps.get(source.configMapRef.name) : undefined;
    if (data && !ignored.includes(source.configMapRef.name)) for (const [name, value] of Object.entries(data)) env[`${source.prefix ?? ''}${name}`] = value;
  }
  for (const variable of container.env ?? []) if (variable.valueFrom === undefined) env[variable.name] = String(variable.value ?? '');
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function referencedEnv(container: Json): Json {
  return Object.fromEntries(
    (container.env ?? [])
      .filter((variable: Json) => variable.valueFrom !== undefined)
      .map((variable: Json) => [variable.name, variable.valueFrom])
      .sort(([a]: [string], [b]: [string]) => (a < b ? -1 : 1)),
  );
}

function compareList(at: string, upstream: readonly string[], rendered: readonly string[]): string[] {
  const a = [...upstream].sort();
  const b = [...rendered].sort();
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at}: ${JSON.stringify(b)}, upstream ${JSON.stringify(a)}`];
}
