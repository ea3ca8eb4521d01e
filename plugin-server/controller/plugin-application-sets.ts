/**
 * Which ApplicationSets ask this plugin about which repository: those with a plugin generator (at the top, or
 * nested in a matrix or merge generator) whose `configMapRef` names the plugin's ConfigMap, for the repository in
 * its `input.parameters.repo` (or the server's only repository when it names none, as getparams reads it).
 * Found by what they do, not by name, so a second ApplicationSet (the fence, another team's) is found too.
 */
import type { KubernetesObject } from '../kubernetes/informer.ts';
import type { RepositoryAllowlist } from '../repositories.ts';

/** The Kubernetes API path of ApplicationSets in `namespace`. */
export function applicationSetsPath(namespace: string): string {
  return `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applicationsets`;
}

export interface ApplicationSetObject extends KubernetesObject {
  readonly spec?: { readonly generators?: readonly unknown[] };
}

/** The repositories (allowlist spelling) `applicationSet` asks the plugin about; empty when it does not use it. */
export function pluginRepositories(applicationSet: ApplicationSetObject, pluginConfigMap: string, allowlist: RepositoryAllowlist): Set<string> {
  const repositories = new Set<string>();
  const visit = (generators: readonly unknown[] | undefined) => {
    for (const generator of generators ?? []) {
      if (!generator || typeof generator !== 'object') continue;
      const g = generator as {
        plugin?: { configMapRef?: { name?: unknown }; input?: { parameters?: { repo?: unknown } } };
        matrix?: { generators?: unknown[] };
        merge?: { generators?: unknown[] };
      };
      if (g.plugin?.configMapRef?.name === pluginConfigMap) {
        const repo = g.plugin.input?.parameters?.repo;
        const canonical = typeof repo === 'string' ? allowlist.canonical(repo) : repo === undefined ? allowlist.only : undefined;
        if (canonical) repositories.add(canonical);
      }
      visit(g.matrix?.generators);
      visit(g.merge?.generators);
    }
  };
  visit(applicationSet.spec?.generators);
  return repositories;
}

/** Names of the ApplicationSets among `applicationSets` that ask the plugin about `repository`, sorted. */
export function applicationSetsFor(
  applicationSets: readonly ApplicationSetObject[],
  repository: string,
  pluginConfigMap: string,
  allowlist: RepositoryAllowlist,
): string[] {
  return applicationSets
    .filter((set) => !set.metadata.deletionTimestamp && pluginRepositories(set, pluginConfigMap, allowlist).has(repository))
    .map((set) => set.metadata.name)
    .sort();
}
