/**
 * The Argo CD side of the configuration with its defaults filled in: project names, destinations, the plugin
 * server's name and image, the GitHub repository previews are listed from, and the per-PR patterns.
 */
import type { PluginConfig } from './argocd-schema.ts';
import { GITHUB_REPOSITORY } from './primitives.ts';
import type { Config, EnvironmentName } from './schema.ts';

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface ResolvedArgocd {
  readonly namespace: string;
  readonly projects: { readonly environments: string; readonly previews: string; readonly previewFences: string };
  readonly clusters: Readonly<Record<EnvironmentName, string>>;
  readonly repository: { readonly url: string; readonly github: string; readonly branch: string; readonly path: string };
  readonly plugin: PluginConfig & { readonly name: string; readonly image: string };
}

/** `owner/name` from a GitHub URL (https or ssh), or undefined for another host. */
export function githubRepositoryOf(url: string): string | undefined {
  const match = /^(?:https:\/\/|ssh:\/\/git@|git@)github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url);
  return match && GITHUB_REPOSITORY.test(match[1]!) ? match[1] : undefined;
}

/**
 * Why the Argo CD objects cannot be synthesized (with the path of the field at fault), or undefined when they
 * can. Without a repository there are none to synthesize, which is not an error.
 */
export function argocdProblems(config: Config): Array<{ path: (string | number)[]; message: string }> {
  if (config.repository === undefined) return [];
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  if (config.argocd.plugin.image === undefined) {
    problems.push({
      path: ['argocd', 'plugin', 'image'],
      message: 'required: the image of the plugin server (build it from the Dockerfile), pinned by tag or digest',
    });
  }
  if (config.repository.github === undefined && githubRepositoryOf(config.repository.url) === undefined) {
    problems.push({
      path: ['repository', 'github'],
      message: `required: "owner/name" of the repository on GitHub (it cannot be read from ${JSON.stringify(config.repository.url)})`,
    });
  }
  return problems;
}

/** The Argo CD settings, or undefined when the configuration names no repository (then there are no Argo CD objects). */
export function resolveArgocd(config: Config): ResolvedArgocd | undefined {
  const { repository, argocd, app } = config;
  if (repository === undefined) return undefined;
  const github = repository.github ?? githubRepositoryOf(repository.url);
  const image = argocd.plugin.image;
  if (github === undefined || image === undefined) {
    throw new Error(
      `unvalidated configuration: ${argocdProblems(config)
        .map((problem) => problem.message)
        .join('; ')}`,
    );
  }
  const cluster = (envName: EnvironmentName) => argocd.clusters[envName] ?? IN_CLUSTER;
  return {
    namespace: argocd.namespace,
    projects: {
      environments: argocd.projects.environments ?? app,
      previews: argocd.projects.previews ?? `${app}-previews`,
      previewFences: argocd.projects.previewFences ?? `${app}-preview-fences`,
    },
    clusters: { dev: cluster('dev'), staging: cluster('staging'), prod: cluster('prod'), preview: cluster('preview') },
    repository: { url: repository.url, github, branch: repository.branch, path: repository.path },
    plugin: { ...argocd.plugin, name: argocd.plugin.name ?? `dynenv-plugin-${app}`, image },
  };
}
