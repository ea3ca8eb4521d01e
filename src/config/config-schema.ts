/**
 * The schema `dynenv.yaml` is parsed with: the shape of every field (schema.ts), then the rules across fields on
 * its typed result. Kept apart from the shape because the rules use the resolvers, which use the `Config` type.
 */
import { checkEnvironments } from './environment-checks.ts';
import { checkReferences } from './reference-checks.ts';
import { configShape } from './schema.ts';
import { checkWorkloadEnvironments } from './workload-environment-checks.ts';

export const configSchema = configShape.superRefine((config, ctx) => {
  checkReferences(config, ctx);
  checkEnvironments(config, ctx);
  checkWorkloadEnvironments(config, ctx);
});
