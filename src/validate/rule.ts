/** What every rule of `dynenv validate` is: a named check over the rendered tree that returns findings. */
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import type { ExternalObjects } from '../config/schema.ts';
import type { ClusterFacts } from './cluster-facts.ts';
import type { Finding } from './finding.ts';
import type { RenderedTree, Scope } from './render.ts';
import type { EnvironmentContracts } from './service-contracts.ts';
import type { UnpinnedImages } from './unpinned-images.ts';

/** What the rules know besides the tree itself. */
export interface RuleContext {
  /** Objects that exist in the cluster without being in the tree (dynenv.yaml `external:`). */
  readonly external: ExternalObjects;
  /** The keys of every parameter set the dynenv plugin emits to the ApplicationSet. */
  readonly pluginParameterKeys: readonly string[];
  /** Images dynenv.yaml runs by tag in staging and prod on purpose (not promoted yet, third-party): warnings, not errors. */
  readonly unpinnedImages?: UnpinnedImages;
  /** What dynenv.yaml says about the cluster (platform, NetworkPolicy enforcement, StorageClass, cert-manager). */
  readonly cluster: ClusterFacts;
  /**
   * The Pod Security level dynenv.yaml gives each environment (`environments.<env>.podSecurity`), by environment
   * name. @default none: a tree validated without dynenv.yaml (then "baseline" is the least accepted)
   */
  readonly podSecurity?: Readonly<Record<string, PodSecurityLevel>>;
  /** The service contracts dynenv.yaml declares in each environment. @default none: a tree validated without dynenv.yaml */
  readonly contracts?: EnvironmentContracts;
}

export interface Rule {
  /** Short, stable identifier printed with each finding, e.g. "pinned-images". */
  readonly id: string;
  /** What the rule checks, in one line (the README's table of rules says the same at more length). */
  readonly summary: string;
  check(tree: RenderedTree, context: RuleContext): Finding[] | Promise<Finding[]>;
}

/** A rule's `check` that looks at one scope at a time, the scopes in turn. */
export function scopeByScope(checkScope: (scope: Scope) => Promise<Finding[]>): Rule['check'] {
  return async (tree) => {
    const findings: Finding[] = [];
    for (const scope of tree.scopes) findings.push(...(await checkScope(scope)));
    return findings;
  };
}
