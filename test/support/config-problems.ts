/** The problems a configuration is rejected with, one line each, for table tests of the schema's messages. */
import { ConfigError, parseConfig } from '../../src/config/load.ts';

export function problems(text: string): string[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

export const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

/** dynenv.yaml with one service `api` whose fields are `fields` (YAML lines at the service's indentation). */
export function withService(fields: string, image = 'ghcr.io/acme/api'): string {
  const lines = fields.trim().split('\n').map((line) => `    ${line}`).join('\n');
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

