/**
 * dynenv as a library (`import { synthesize, validateTree } from '@dynenv/cli'`): what the `synth` and
 * `validate` commands do, as functions. The plugin server is `@dynenv/cli/plugin-server`.
 */
export { ConfigError, loadConfig, parseConfig } from './config/load.ts';
export { configJsonSchema } from './config/json-schema.ts';
export type { Config } from './config/schema.ts';
export { DEFAULT_CONFIG_FILE, DEFAULT_GITOPS_DIR } from './defaults.ts';
export { UsageError, UserError } from '../contract/errors.ts';
export { formatChanges } from './gitops/format-changes.ts';
export { planSynthesis, synthesize, type SynthesisPlan, type SynthesizeOptions } from './gitops/synthesize.ts';
export { synthesizeTree, type Tree } from './gitops/tree.ts';
export { hasChanges, type TreeChanges } from './gitops/write.ts';
export { clusterFacts } from './validate/cluster-facts.ts';
export { externalObjects } from './validate/external-objects.ts';
export { unpinnedImages } from './validate/unpinned-images.ts';
export type { Finding } from './validate/finding.ts';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './validate/report.ts';
export { validateTree, type ValidateOptions, type ValidationReport } from './validate/validate-tree.ts';
