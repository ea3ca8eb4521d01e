/**
 * Every verb of `dynenv`, in the order `dynenv --help` lists them. A new verb is a declaration
 * (`src/commands/<verb>.ts`: flags, summary, help), the module that runs it (`<verb>.run.ts`, loaded lazily),
 * and one line here. Only declarations are imported: listing or explaining a verb loads none of its code.
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
import type { Verb } from './verb.ts';

// `Verb<any>`: each verb's load() is checked against its own flags where the verb is declared.
export const VERBS: readonly Verb<any>[] = [
  initVerb,
  synthVerb,
  schemaVerb,
  proposeVerb,
  promoteVerb,
  historyVerb,
  validateVerb,
  serveVerb,
  controllerVerb,
  sweepVerb,
  createDatabaseSecretVerb,
];
