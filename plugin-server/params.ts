/**
 * One parameter set per pull request: exactly the keys of Argo CD's built-in pull-request generator (so templates
 * move over unchanged), plus what it lacks. Every set has every key, none null, and never `generator` or
 * `values`, which Argo CD adds itself; templates use goTemplate with `missingkey=error`, so a missing key would
 * abort the whole ApplicationSet. The keys themselves are the contract's (contract/plugin-parameters.ts).
 */
import { pullRequestNamespace } from '../contract/names.ts';
import { PLUGIN_PARAMETER_KEYS, type ParameterSet } from '../contract/plugin-parameters.ts';
import type { PullRequest } from './github/pull-request.ts';

/** The parameter set of `pull` in `repository`. @param namespacePrefix already validated; '' or undefined for none */
export function toParameterSet(pull: PullRequest, repository: string, namespacePrefix: string | undefined): ParameterSet {
  return {
    number: String(pull.number),
    title: pull.title,
    branch: pull.branch,
    branch_slug: pull.branchSlug,
    target_branch: pull.targetBranch,
    target_branch_slug: pull.targetBranchSlug,
    head_sha: pull.headSha,
    head_short_sha: pull.headSha.slice(0, 8),
    head_short_sha_7: pull.headSha.slice(0, 7),
    author: pull.author,
    labels: [...pull.labels],
    namespace: pullRequestNamespace(pull.number, namespacePrefix),
    url: pull.url,
    repo: repository,
    draft: pull.draft,
    updated_at: pull.updatedAt,
  };
}

/** JSON schema of a parameter set (Fastify serializes replies with it, and it refuses a missing key). */
export const PARAMETER_SET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [...PLUGIN_PARAMETER_KEYS],
  properties: {
    ...Object.fromEntries(PLUGIN_PARAMETER_KEYS.map((key) => [key, { type: 'string' }])),
    labels: { type: 'array', items: { type: 'string' } },
    draft: { type: 'boolean' },
  },
} as const;
