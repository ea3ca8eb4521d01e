/**
 * The keys of every parameter set the dynenv plugin server emits, which are all an ApplicationSet template can
 * use besides what Argo CD adds itself (`generator`, `values`). The plugin server owns the list; this is the one
 * place the validator learns it.
 */
export { PARAMETER_KEYS as PLUGIN_PARAMETER_KEYS } from '../../plugin-server/params.ts';

/** Keys Argo CD adds to every parameter set of a plugin generator (see PROTOCOL.md). */
export const ARGOCD_ADDED_PARAMETER_KEYS: readonly string[] = ['generator', 'values'];
