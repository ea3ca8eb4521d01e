/**
 * The problems a configuration is rejected with, for table tests of the schema's messages: one line each,
 * `file: <field by its schema path>: message`, e.g. `dynenv.yaml: services[0].port: expected ...`. The line and
 * column and the field by name (`dynenv.yaml:14:5: services.api.port: ...`), which is what users read, are
 * tested on their own (test/config/problem-location.test.ts), so these tables pin the messages alone.
 */
import { ConfigError, formatPath, parseConfig } from '../../src/config/load.ts';

export function problems(text: string): string[] {
  const found = problemsOrNone(text);
  if (found.length === 0) throw new Error('expected the configuration to be rejected');
  return found;
}

/** As `problems`, but an accepted configuration gives none. */
export function problemsOrNone(text: string): string[] {
  try {
    parseConfig(text);
    return [];
  } catch (error) {
    if (error instanceof ConfigError)
      return error.details.map((problem) => `${problem.file}: ${problem.path.length ? `${formatPath(problem.path)}: ` : ''}${problem.message}`);
    throw error;
  }
}

export const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

/** dynenv.yaml with one service `api` whose fields are `fields` (YAML lines at the service's indentation). */
export function withService(fields: string, image = 'ghcr.io/acme/api'): string {
  const lines = fields
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `app: shop
services:
  - name: api
    image: ${image}
${lines}
environments:
  dev: { imageTag: main }
  staging: { services: { api: { digest: "${digest('a')}" } } }
  prod: { services: { api: { digest: "${digest('b')}" } } }
`;
}
