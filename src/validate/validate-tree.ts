/**
 * `dynenv validate` as a function: render the tree, run every rule over it, and return the findings in a stable
 * order (scope, then object, then path), with whether the tree passes.
 */
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import { NO_EXTERNAL_OBJECTS, type ExternalObjects } from '../config/schema.ts';
import { UNKNOWN_CLUSTER, type ClusterFacts } from './cluster-facts.ts';
import type { Finding } from './finding.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../contract/plugin-parameters.ts';
import { byScopeOrder, renderTree } from './render.ts';
import type { RuleContext } from './rule.ts';
import { RULES } from './rules/index.ts';
import type { EnvironmentContracts } from './service-contracts.ts';
import type { UnpinnedImages } from './unpinned-images.ts';

export interface ValidateOptions {
  /** The GitOps tree, holding overlays/ and argocd/. @default "gitops" */
  readonly directory?: string;
  /** Objects that exist outside the tree (dynenv.yaml `external:`). @default none */
  readonly external?: ExternalObjects;
  /** Keys of the plugin's parameter sets. @default the dynenv plugin's (PLUGIN_PARAMETER_KEYS) */
  readonly pluginParameterKeys?: readonly string[];
  /** Images dynenv.yaml runs by tag in staging and prod on purpose. @default none (every tag there is an error) */
  readonly unpinnedImages?: UnpinnedImages;
  /** What dynenv.yaml says about the cluster. @default nothing (UNKNOWN_CLUSTER) */
  readonly cluster?: ClusterFacts;
  /** The Pod Security level of each environment. @default none said ("baseline" is the least accepted) */
  readonly podSecurity?: Readonly<Record<string, PodSecurityLevel>>;
  /** The service contracts of each environment. @default none said (talksTo is not checked against allowFrom) */
  readonly contracts?: EnvironmentContracts;
}

export interface ValidationReport {
  readonly directory: string;
  /** Each rendered folder with its object count, in report order. */
  readonly scopes: ReadonlyArray<{ readonly name: string; readonly directory: string; readonly objects: number }>;
  readonly findings: readonly Finding[];
  /** True when no finding is an error (warnings do not fail validation). */
  readonly ok: boolean;
}

export async function validateTree(options: ValidateOptions = {}): Promise<ValidationReport> {
  const directory = options.directory ?? 'gitops';
  const tree = await renderTree(directory);
  const context: RuleContext = {
    external: options.external ?? NO_EXTERNAL_OBJECTS,
    pluginParameterKeys: options.pluginParameterKeys ?? PLUGIN_PARAMETER_KEYS,
    unpinnedImages: options.unpinnedImages,
    cluster: options.cluster ?? UNKNOWN_CLUSTER,
    ...(options.podSecurity && { podSecurity: options.podSecurity }),
    ...(options.contracts && { contracts: options.contracts }),
  };
  const findings = [...tree.findings];
  for (const rule of RULES) findings.push(...(await rule.check(tree, context)));
  return {
    directory,
    scopes: tree.scopes.map((scope) => ({ name: scope.name, directory: scope.directory, objects: scope.objects.length })),
    findings: sortFindings(findings),
    ok: findings.every((item) => item.severity !== 'error'),
  };
}

/** Scope order, then findings about a scope or a kind as a whole, then by kind, name and path; rule order breaks ties. */
function sortFindings(findings: readonly Finding[]): Finding[] {
  const compare = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  const wholeFirst = (item: Finding) => (item.name === undefined ? 0 : 1);
  return [...findings].sort(
    (a, b) => byScopeOrder(a.scope, b.scope) || wholeFirst(a) - wholeFirst(b) || compare(a.kind, b.kind) || compare(a.name, b.name) || compare(a.path, b.path),
  );
}
