/**
 * Defaults shared by the command line and the library. A module of constants only: the verbs' declarations
 * import it for their help, and must not load the configuration schema or Git code to do so.
 */

/** Where the configuration is read from, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'dynenv.yaml';

/** Where the GitOps tree is written (and read by validate, propose, promote, history). */
export const DEFAULT_GITOPS_DIR = 'gitops';

/** The branch `dynenv propose` pushes the synthesized tree to. */
export const DEFAULT_PROPOSE_BRANCH = 'dynenv/synth';
