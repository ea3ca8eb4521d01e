/**
 * What the status reporter reports on: one preview, or one long-lived environment, of one app in one repository,
 * named from an Application's labels or from the GitHub environment dynenv wrote for it.
 */
import type { RepositoryAllowlist } from '../../repositories.ts';
import type { ApplicationObject } from './application-state.ts';

/** One preview, or one long-lived environment, of one app in one repository. */
export interface Subject {
  readonly key: string;
  readonly repository: string;
  readonly app: string;
  /** `pr-<n>` or dev, staging, prod. */
  readonly environment: string;
  readonly pullRequest: number | undefined;
}

/** The labels the synthesized Applications carry. */
export const LABEL = {
  app: 'app.kubernetes.io/part-of',
  environment: 'dynenv.io/environment',
  pullRequest: 'dynenv.io/pull-request',
  part: 'dynenv.io/preview-part',
} as const;

/** The subject an Application reports on: its app, environment and repository (one the allowlist names). */
export function subjectOfApplication(application: ApplicationObject, allowlist: RepositoryAllowlist): Subject | undefined {
  const labels = application.metadata.labels ?? {};
  const app = labels[LABEL.app];
  const environment = labels[LABEL.environment];
  const repository = repositoryOf(application.spec?.source?.repoURL, allowlist);
  if (!app || !environment || !repository) return undefined;
  if (environment === 'preview') {
    const number = Number(labels[LABEL.pullRequest]);
    if (!Number.isInteger(number) || number <= 0) return undefined;
    return { key: `${repository}|${app}|pr-${number}`, repository, app, environment: `pr-${number}`, pullRequest: number };
  }
  if (!['dev', 'staging', 'prod'].includes(environment)) return undefined;
  return { key: `${repository}|${app}|${environment}`, repository, app, environment, pullRequest: undefined };
}

/** The subject of a GitHub environment dynenv named (`<app>-pr-<n>`, `<app>-dev`...), for one of `apps`. */
export function subjectOfEnvironment(repository: string, githubEnvironment: string, apps: ReadonlySet<string>): Subject | undefined {
  for (const app of apps) {
    const m = new RegExp(`^${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(pr-(\\d+)|dev|staging|prod)$`).exec(githubEnvironment);
    if (!m) continue;
    const number = m[2] === undefined ? undefined : Number(m[2]);
    return { key: `${repository}|${app}|${m[1]}`, repository, app, environment: m[1]!, pullRequest: number };
  }
  return undefined;
}

/** `owner/name` (allowlist spelling) of a GitHub repository URL, https or ssh, any host. */
export function repositoryOf(url: string | undefined, allowlist: RepositoryAllowlist): string | undefined {
  const m = url && /^(?:https?:\/\/[^/]+\/|ssh:\/\/git@[^/]+\/|git@[^:]+:)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url);
  return m ? allowlist.canonical(m[1]!) : undefined;
}
