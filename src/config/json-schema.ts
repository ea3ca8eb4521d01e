import { z } from 'zod';
import { configSchema } from './config-schema.ts';

/**
 * The JSON Schema of dynenv.yaml, for editors (yaml-language-server completes and checks the file with it).
 * It describes the input: fields with defaults are optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'dynenv.yaml',
    description: 'One application and its environments, synthesized by dynenv into a Kustomize GitOps tree.',
  };
}
