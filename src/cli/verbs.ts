/**
 * Every verb of `dynenv`, in the order `dynenv --help` lists them. A new verb is a declaration
 * (`src/commands/<verb>.ts`: flags, summary, help), the module that runs it (`<verb>.run.ts`, loaded lazily),
 * and one line here that joins the two. Only declarations are imported: listing or explaining a verb loads none of
 * its code.
 */
import { controllerVerb } from '../commands/controller.ts';
import { createDatabaseSecretVerb } from '../commands/create-database-secret.ts';
import { initVerb } from '../commands/init.ts';
import { historyVerb } from '../commands/history.ts';
import { promoteVerb } from '../commands/promote.ts';
import { proposeVerb } from '../commands/propose.ts';
import { schemaVerb } from '../commands/schema.ts';
import { serveVerb } from '../commands/serve.ts';
import { sweepVerb } from '../commands/sweep.ts';
import { synthVerb } from '../commands/synth.ts';
import { validateVerb } from '../commands/validate.ts';
import { runnableVerb, type Verb } from './verb.ts';

// `Verb<any>`: each verb's module is checked against its own flags by runnableVerb, just below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const VERBS: readonly Verb<any>[] = [
  runnableVerb(initVerb, () => import('../commands/init.run.ts')),
  runnableVerb(synthVerb, () => import('../commands/synth.run.ts')),
  runnableVerb(schemaVerb, () => import('../commands/schema.run.ts')),
  runnableVerb(proposeVerb, () => import('../commands/propose.run.ts')),
  runnableVerb(promoteVerb, () => import('../commands/promote.run.ts')),
  runnableVerb(historyVerb, () => import('../commands/history.run.ts')),
  runnableVerb(validateVerb, () => import('../commands/validate.run.ts')),
  runnableVerb(serveVerb, () => import('../commands/serve.run.ts')),
  runnableVerb(controllerVerb, () => import('../commands/controller.run.ts')),
  runnableVerb(sweepVerb, () => import('../commands/sweep.run.ts')),
  runnableVerb(createDatabaseSecretVerb, () => import('../commands/create-database-secret.run.ts')),
];
