/** A service of the application, as `services[]` of dynenv.yaml declares it. */
import { z } from 'zod';
import { dns1035Label, httpPath, imageRepository, port } from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';

/** A command run to completion in the service's image. */
const jobCommandSchema = z.strictObject({
  command: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .min(1)
    .meta({ description: 'Container command. Required.' }),
  args: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: 'Container arguments. Default: none.' }),
});
export type JobCommand = z.infer<typeof jobCommandSchema>;

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// YAML reads `PORT: 8080` as a number and `DEBUG: true` as a boolean; a container env var is always a string.
const envRecord = z.record(
  z.string().regex(envVarName, { error: 'expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)' }),
  z
    .union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
    .transform((value) => String(value)),
);

// zod's records skip a "__proto__" key without a word, and cdk8s and JSON patch refuse it by design (prototype
// pollution): say so rather than drop the variable. Every other name (constructor, toString...) is carried.
export const envMap = z.preprocess((value, ctx) => {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.addIssue({
      code: 'custom',
      path: ['__proto__'],
      message: '"__proto__" cannot name a variable here: the tools that write the manifests refuse it as a key. Rename the variable',
    });
  }
  return value;
}, envRecord);

export const serviceSchema = z.strictObject({
  name: dns1035Label.meta({ description: 'Name of the Deployment, Service, ServiceAccount and container. Required.' }),
  image: imageRepository.meta({
    description: 'Image repository without tag or digest; each environment pins the tag or digest. Required.',
  }),
  port: port
    .optional()
    .meta({ description: 'Container port served over HTTP; a Service is created only when set. Default: none (no Service).' }),
  healthPath: httpPath
    .optional()
    .meta({ description: 'HTTP path of the readiness, liveness and startup probes; needs `port`. Default: none.' }),
  healthCommand: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .min(1)
    .optional()
    .meta({ description: 'Probe command for a service without a port (a worker). Default: none.' }),
  ingress: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .meta({ description: "Expose the service through the environment's ingress host; needs `port`. Default: false." }),
  database: z
    .enum(['postgres'], { error: 'expected "postgres"' })
    .optional()
    .meta({ description: 'The service needs a database of this engine (a preview gets its own). Default: none.' }),
  command: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: "Container command (entrypoint). Default: the image's." }),
  args: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: "Container arguments. Default: the image's." }),
  env: envMap
    .default({})
    .meta({ description: 'Environment variables for every environment (environments add to and override them). Default: {}.' }),
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }).meta({
    description:
      'Requests and limits for every environment (environments may override them). ' +
      'Default: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  migrate: jobCommandSchema.optional().meta({
    description:
      "Schema migrations, run in the service's image by a Job before the service's pods roll (an Argo CD Sync hook in an " +
      'early wave), in every environment; needs `database`. Default: none.',
  }),
  seed: jobCommandSchema.optional().meta({
    description:
      "Seed data for previews, run after `migrate` in the same Job, with the preview's tenant ID, e-mail domain and storage " +
      'prefix in its environment; needs `database`. Default: none.',
  }),
});
export type ServiceConfig = z.infer<typeof serviceSchema>;
