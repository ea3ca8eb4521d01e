/**
 * Where the Kubernetes API is and how to authenticate to it, found the way kubectl finds it: the files of
 * `KUBECONFIG` (merged, the first file wins for each name), else `~/.kube/config`, else the pod's ServiceAccount
 * (in-cluster). Tokens are read again when they may have rotated: a projected ServiceAccount token is renewed by
 * the kubelet every hour, and an `exec` credential plugin says when its token expires.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../contract/errors.ts';

/** Where a pod finds its ServiceAccount's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A token read again after this long, so a rotated ServiceAccount token is picked up. */
const TOKEN_FILE_REREAD_MS = 60_000;

export interface KubernetesConnection {
  /** API server base URL, e.g. `https://10.96.0.1:443`, without a trailing slash. */
  readonly server: string;
  /** What tells the API server who calls (re-read when it may have rotated). */
  authorization(): Promise<string | undefined>;
  /** TLS settings of the API server's connection. */
  readonly tls: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly insecureSkipVerify: boolean;
    readonly serverName?: string;
  };
  /** Where the settings came from, for log lines (never a credential). */
  readonly source: string;
  /** The namespace of the context, or the pod's own. @default undefined */
  readonly namespace?: string;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  exec?: { command: string; args?: string[]; env?: Array<{ name: string; value: string }> | null };
  'auth-provider'?: unknown;
  username?: string;
}

interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface Named<T> {
  name: string;
  /** The folder of the file it came from: relative paths in a kubeconfig are relative to it. */
  base: string;
  value: T;
}

/**
 * The connection `env` points to: KUBECONFIG, else ~/.kube/config, else the pod's ServiceAccount.
 * @throws UserError naming the file and field when none can be used
 */
export function loadKubernetesConnection(
  env: Readonly<Record<string, string | undefined>>,
  serviceAccountDirectory = SERVICE_ACCOUNT_DIRECTORY,
): KubernetesConnection {
  const listed = (env.KUBECONFIG ?? '').split(':').filter((path) => path !== '');
  if (listed.length > 0)
    return fromKubeconfig(
      listed.filter((path) => existsSync(path)),
      'KUBECONFIG',
    );
  const home = resolve(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return fromKubeconfig([home], home);
  return inCluster(env, serviceAccountDirectory);
}

function inCluster(env: Readonly<Record<string, string | undefined>>, directory: string): KubernetesConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host || !existsSync(`${directory}/token`)) {
    throw new UserError(
      'no Kubernetes API to talk to: set KUBECONFIG (as kubectl reads it), or run in a pod whose ServiceAccount token is ' + `mounted at ${directory}`,
    );
  }
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const namespaceFile = `${directory}/namespace`;
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    authorization: bearerFromFile(`${directory}/token`),
    tls: { ca: readFileSync(`${directory}/ca.crt`, 'utf8'), insecureSkipVerify: false },
    source: `in-cluster ServiceAccount (${directory})`,
    namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined,
  };
}

function fromKubeconfig(files: readonly string[], source: string): KubernetesConnection {
  if (files.length === 0) throw new UserError(`${source}: none of its files exists`);
  const clusters: Array<Named<KubeconfigCluster>> = [];
  const users: Array<Named<KubeconfigUser>> = [];
  const contexts: Array<Named<{ cluster?: string; user?: string; namespace?: string }>> = [];
  let currentContext: string | undefined;
  for (const file of files) {
    let document: Record<string, unknown>;
    try {
      document = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw new UserError(`${file}: not a kubeconfig (${(error as Error).message.split('\n')[0]})`);
    }
    const base = dirname(file);
    const collect = <T>(key: string, inner: string, into: Array<Named<T>>) => {
      for (const entry of (document[key] ?? []) as Array<Record<string, unknown>>) {
        if (typeof entry?.name === 'string') into.push({ name: entry.name, base, value: (entry[inner] ?? {}) as T });
      }
    };
    collect('clusters', 'cluster', clusters);
    collect('users', 'user', users);
    collect('contexts', 'context', contexts);
    if (currentContext === undefined && typeof document['current-context'] === 'string' && document['current-context'] !== '') {
      currentContext = document['current-context'];
    }
  }
  if (currentContext === undefined) throw new UserError(`${files.join(':')}: no current-context is set`);
  const context = contexts.find((c) => c.name === currentContext);
  if (!context) throw new UserError(`${files.join(':')}: current-context "${currentContext}" is not among its contexts`);
  const cluster = clusters.find((c) => c.name === context.value.cluster);
  if (!cluster?.value.server) {
    throw new UserError(`${files.join(':')}: context "${currentContext}" names cluster "${context.value.cluster ?? ''}", which has no server`);
  }
  const user = users.find((u) => u.name === context.value.user);
  const c = cluster.value;
  const u = user?.value ?? {};
  if (u['auth-provider'] !== undefined) {
    throw new UserError(`${files.join(':')}: user "${user?.name ?? ''}" uses an auth-provider, which Kubernetes removed; use an exec credential plugin`);
  }
  const file = (path: string | undefined, base: string) => (path === undefined ? undefined : readFileSync(resolve(base, path), 'utf8'));
  const data = (value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8'));
  return {
    server: c.server!.replace(/\/+$/, ''),
    authorization: userAuthorization(u, user?.base ?? cluster.base),
    tls: {
      ca: data(c['certificate-authority-data']) ?? file(c['certificate-authority'], cluster.base),
      cert: data(u['client-certificate-data']) ?? file(u['client-certificate'], user?.base ?? ''),
      key: data(u['client-key-data']) ?? file(u['client-key'], user?.base ?? ''),
      insecureSkipVerify: c['insecure-skip-tls-verify'] === true,
      ...(c['tls-server-name'] !== undefined && { serverName: c['tls-server-name'] }),
    },
    source: `${source} context "${currentContext}"`,
    namespace: context.value.namespace,
  };
}

function userAuthorization(user: KubeconfigUser, base: string): () => Promise<string | undefined> {
  if (user.token !== undefined) {
    const header = `Bearer ${user.token}`;
    return async () => header;
  }
  if (user.tokenFile !== undefined) return bearerFromFile(resolve(base, user.tokenFile));
  if (user.exec) return execCredential(user.exec);
  return async () => undefined;
}

function bearerFromFile(path: string): () => Promise<string | undefined> {
  let cached: { header: string; readAt: number } | undefined;
  return async () => {
    const now = Date.now();
    if (!cached || now - cached.readAt > TOKEN_FILE_REREAD_MS) {
      cached = { header: `Bearer ${readFileSync(path, 'utf8').trim()}`, readAt: now };
    }
    return cached.header;
  };
}

/** An `exec` credential plugin (EKS, GKE, AKS...): run, read its ExecCredential, reuse until it expires. */
function execCredential(exec: NonNullable<KubeconfigUser['exec']>): () => Promise<string | undefined> {
  let cached: { header: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.expiresAt - 30_000) return cached.header;
    const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
    const { stdout } = await promisify(execFile)(exec.command, exec.args ?? [], { env, timeout: 60_000 });
    const credential = JSON.parse(stdout) as { status?: { token?: string; expirationTimestamp?: string } };
    const token = credential.status?.token;
    if (!token) throw new UserError(`the credential plugin ${exec.command} returned no status.token`);
    const expiry = Date.parse(credential.status?.expirationTimestamp ?? '');
    cached = { header: `Bearer ${token}`, expiresAt: Number.isNaN(expiry) ? Date.now() + 5 * 60_000 : expiry };
    return cached.header;
  };
}
