/**
 * The Dockerfile of the dynenv image, read as text (no Docker daemon or registry here): multi-stage, compiled in
 * the build stage, production dependencies only in the image, non-root as the uid the manifests set, the port
 * and command the Deployment and Job use.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DEFAULT_PORT } from '../src/config/argocd-schema.ts';
import { DYNENV_IMAGE_UID } from '../src/constructs/database-credentials.ts';
import { REPO_ROOT } from './support/workspace.ts';

const dockerfile = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const dockerignore = await readFile(path.join(REPO_ROOT, '.dockerignore'), 'utf8');
const instructions = dockerfile
  .split('\n')
  .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
  .map((line) => line.trim());
const packageJson = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('Dockerfile', () => {
  it('builds in two stages and runs the last one from the distroless Node.js image', () => {
    const stages = instructions.filter((line) => line.startsWith('FROM '));
    expect(stages).toEqual([
      'FROM docker.io/library/node:${NODE_MAJOR}-bookworm-slim AS build',
      'FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian12:nonroot AS runtime',
    ]);
    expect(instructions).toContain('ARG NODE_MAJOR=20');
  });

  it('compiles with the lock file\'s dependencies, then keeps the production ones and the compiled JavaScript only', () => {
    expect(instructions).toContain('RUN npm ci --ignore-scripts --no-audit --no-fund');
    expect(instructions).toContain('RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force');
    const copied = instructions.filter((line) => line.startsWith('COPY --from=build'));
    expect(copied.map((line) => line.split(' ').at(-2))).toEqual(['/app/node_modules', '/app/package.json', '/app/bin/dynenv.js', '/app/dist/contract', '/app/dist/src', '/app/dist/plugin-server']);
    // Nothing compiles TypeScript at run time: tsx is for development only.
    expect(packageJson.dependencies).not.toHaveProperty('tsx');
    expect(packageJson.dependencies).not.toHaveProperty('typescript');
  });

  it('runs as the non-root uid the Deployment and the Job set, on the plugin port, `serve` by default', () => {
    expect(instructions).toContain(`USER ${DYNENV_IMAGE_UID}:${DYNENV_IMAGE_UID}`);
    expect(instructions).toContain(`EXPOSE ${PLUGIN_DEFAULT_PORT}`);
    expect(instructions).toContain('ENTRYPOINT ["/nodejs/bin/node", "bin/dynenv.js"]');
    expect(instructions).toContain('CMD ["serve"]');
  });

  it('sends only what the image runs to the build (an allowlist), never node_modules or secrets', () => {
    const rules = dockerignore.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    expect(rules[0]).toBe('*');
    expect(rules.filter((rule) => rule.startsWith('!')).sort()).toEqual(
      ['!bin/', '!contract/', '!package-lock.json', '!package.json', '!plugin-server/', '!src/', '!tsconfig.build.json', '!tsconfig.json'].sort(),
    );
  });
});
