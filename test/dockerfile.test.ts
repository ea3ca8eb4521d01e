/**
 * The dynenv image, put together as its Dockerfile says without a Docker daemon (test/support/docker-image.ts):
 * its last stage's COPY instructions carried out into a folder, from the build context .dockerignore lets through
 * and from this checkout standing for the build stage (production dependencies only). What the image's ENTRYPOINT
 * and CMD run from that folder must work: `dynenv --help`, and `serve` answering Argo CD. Then what the manifests
 * assume of the image (its uid, its port) and what must never be in it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_DEFAULT_PORT } from '../src/config/argocd-schema.ts';
import { DYNENV_IMAGE_UID } from '../src/constructs/database-credentials.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github/index.ts';
import { callLikeArgoCd } from './plugin-server/argo-client.ts';
import { assembleImage, buildContext, lastStage, parseDockerfile, stageNamed, type AssembledImage } from './support/docker-image.ts';
import { REPO_ROOT } from './support/workspace.ts';
import { eventually } from './support/eventually.ts';

// One image for the file's tests, removed after them.
let image: AssembledImage;
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'dynenv-image-'));
  image = await assembleImage(folder);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const running: Array<ReturnType<typeof spawn>> = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

/** The image's command (ENTRYPOINT + `args`, or CMD), run from its folder with only its ENV and what is given. */
function runImage(args: readonly string[] | undefined, env: Record<string, string> = {}) {
  const [node, ...entrypoint] = image.entrypoint;
  expect(path.basename(node!)).toBe('node');
  const child = spawn(process.execPath, [...entrypoint, ...(args ?? image.cmd)], {
    cwd: image.root,
    // The distroless image has no shell and no PATH to speak of; the links to the production packages are
    // followed as the image's own folders (see docker-image.ts).
    env: { ...image.env, NODE_OPTIONS: '--preserve-symlinks', HOME: image.root, ...env },
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

describe('the dynenv image', () => {
  it('runs the dynenv command from what it holds', async () => {
    const help = runImage(['--help']);
    const [code] = (await once(help.child, 'exit')) as [number | null];
    expect({ code, stderr: help.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout()).toMatch(/^usage: dynenv/m);
  });

  it('serves Argo CD by default (CMD), on the port the manifests use', async () => {
    const fake: FakeGitHub = await startFakeGitHub();
    try {
      fake.createRepository('acme/shop');
      fake.openPullRequest('acme/shop');
      const server = runImage(undefined, {
        HOST: '127.0.0.1',
        PORT: '0',
        PLUGIN_TOKEN: 'image-test-token',
        GITHUB_TOKEN: fake.token,
        GITHUB_API_URL: fake.url,
        DYNENV_REPOS: 'acme/shop',
      });
      await eventually(() => expect(server.stdout()).toMatch(/Server listening at http:\/\/127\.0\.0\.1:\d+/));
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())![1]!;
      expect((await callLikeArgoCd(url, 'image-test-token', 'previews')).outcome).toMatchObject({ kind: 'sets', sets: [{ number: '1' }] });
      server.child.kill('SIGTERM');
      const [code] = (await once(server.child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      await fake.close();
    }
    expect(image.exposed).toEqual([String(PLUGIN_DEFAULT_PORT)]);
  });

  it('runs as the non-root uid the Deployment and the Job set', () => {
    expect(image.user).toBe(`${DYNENV_IMAGE_UID}:${DYNENV_IMAGE_UID}`);
  });

  it('holds no tests, no credentials and no development dependency', async () => {
    const context = await buildContext();
    expect(context.filter((file) => file.endsWith('.test.ts') || file.startsWith('test/') || /(^|\/)\.env/.test(file) || file.startsWith('.git/'))).toEqual([]);
    expect(context.some((file) => file.startsWith('node_modules'))).toBe(false);
    for (const dependency of ['tsx', 'typescript', 'vitest', 'fast-check'])
      expect(existsSync(path.join(image.root, 'node_modules', dependency)), dependency).toBe(false);
    // The RUN steps are not run here (no daemon, no registry): the image stands for the stage its node_modules
    // comes from by this checkout's production dependencies, so that stage must install or prune to exactly those.
    const instructions = parseDockerfile(await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    const copy = lastStage(instructions).find((step) => step.keyword === 'COPY' && /\/app\/node_modules\b/.test(step.rest));
    const stage = stageNamed(instructions, /--from=(\S+)/.exec(copy?.rest ?? '')?.[1] ?? '');
    expect(stage.some((step) => step.keyword === 'RUN' && /npm (ci|prune)\b[^&]*--omit=dev/.test(step.rest))).toBe(true);
  });
});
