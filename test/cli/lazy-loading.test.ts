/**
 * Help loads no command's dependencies, and the plugin server's process never loads cdk8s: observed in the real
 * process, through a module hook that records every module it loads (test/support/module-recorder.mjs).
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cli/verbs.ts';
import { spawnDynenv } from '../support/cli.ts';
import { recordModules, type LoadedModules } from '../support/modules.ts';
import { exampleWorkspace } from '../support/workspace.ts';

/** Runs `dynenv <args>` to its end with the module recorder; the modules it loaded and its exit code. */
async function modulesOf(args: readonly string[], cwd?: string): Promise<{ code: number | null; modules: LoadedModules }> {
  const recording = await recordModules();
  const child = spawnDynenv(args, { ...recording.options, cwd, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, modules: await recording.loaded() };
}

const CDK8S = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

describe('module loading', () => {
  it("answers `dynenv --help` and every `dynenv <verb> --help` without loading any package or any verb's code", async () => {
    for (const args of [['--help'], ['--version'], ...VERBS.map((verb) => [verb.name, '--help'])]) {
      const { code, modules } = await modulesOf(args);
      expect(code, args.join(' ')).toBe(0);
      expect(
        modules.urls.some((url) => url.endsWith('/cli.js')),
        'the recorder saw the CLI',
      ).toBe(true);
      expect(modules.packages(), args.join(' ')).toEqual([]);
      expect(
        modules.sources().filter((source) => source.endsWith('.run.ts')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it("loads cdk8s and synth's own code for synth, the control that shows the recorder sees what a verb loads", async () => {
    const { code, modules } = await modulesOf(['synth'], await exampleWorkspace());
    expect(code).toBe(0);
    expect(modules.packages()).toEqual(expect.arrayContaining([...CDK8S, 'yaml', 'zod']));
    expect(modules.sources()).toEqual(expect.arrayContaining(['src/commands/synth.run.ts', 'src/gitops/write.ts']));
  });

  it('runs `dynenv serve` with Fastify and Octokit and without cdk8s', async () => {
    const recording = await recordModules({
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      PLUGIN_TOKEN: 'lazy-loading-token',
      GITHUB_TOKEN: 'not-used',
      DYNENV_REPOS: 'acme/shop',
    });
    const child = spawnDynenv(['serve'], { ...recording.options, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('dynenv plugin server ready')) return;
      child.stdout!.off('data', onOutput);
      child.stdout!.resume();
      child.kill('SIGTERM');
    };
    child.stdout!.on('data', onOutput);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(output).toContain('dynenv plugin server ready');
    expect(code).toBe(0);
    const packages = (await recording.loaded()).packages();
    expect(packages).toEqual(expect.arrayContaining(['fastify', '@octokit/rest']));
    expect(packages.filter((name) => CDK8S.includes(name))).toEqual([]);
  });
});
