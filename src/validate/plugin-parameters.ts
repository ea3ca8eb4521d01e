/**
 * The keys of every parameter set the dynenv plugin server emits, which are all an ApplicationSet template can
 * use besides what Argo CD adds itself (`generator`, `values`).
 *
 * This is the one place the validator learns them. Until plugin-server/params.ts exports `PARAMETER_KEYS`, the
 * list is written here; then this file becomes `export { PARAMETER_KEYS as PLUGIN_PARAMETER_KEYS } from
 * '../../plugin-server/params.ts'`.
 */
export const PLUGIN_PARAMETER_KEYS: readonly string[] = [
  'number',
  'title',
  'branch',
  'branch_slug',
  'target_branch',
  'target_branch_slug',
  'head_sha',
  'head_short_sha',
  'head_short_sha_7',
  'author',
  'labels',
  'namespace',
  'url',
  'repo',
  'draft',
  'updated_at',
];

/** Keys Argo CD adds to every parameter set of a plugin generator (see PROTOCOL.md). */
export const ARGOCD_ADDED_PARAMETER_KEYS: readonly string[] = ['generator', 'values'];
