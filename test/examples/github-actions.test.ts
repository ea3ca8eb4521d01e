/**
 * The CI recipes users copy (examples/github-actions/): every `dynenv` they run is a real verb with real flags,
 * as the verbs' own declarations define them (src/cli/verbs.ts), run so that npx can never fetch another
 * package; least-privilege permissions; concurrency groups; the image tag the previews pull.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Flag, Flags } from '../../src/cli/flags.ts';
import { VERBS } from '../../src/cli/verbs.ts';
import { previewSchema } from '../../src/config/preview-schema.ts';
import { REPO_ROOT } from '../support/workspace.ts';

const FOLDER = path.join(REPO_ROOT, 'examples/github-actions');

interface Step {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { readonly group?: string; readonly 'cancel-in-progress'?: boolean };
  readonly jobs: Record<string, Job>;
}

const files = (await readdir(FOLDER)).filter((file) => file.endsWith('.yml')).sort();
const workflows = new Map(await Promise.all(files.map(async (file) => [file, parse(await readFile(path.join(FOLDER, file), 'utf8')) as Workflow] as const)));

/** Words of a shell script, line continuations joined, quotes removed; `;`, `&&`, `||`, `|` and new lines end a command. */
function commands(script: string): string[][] {
  const result: string[][] = [];
  for (const line of script.replace(/\\\n/g, ' ').split(/\n|;|&&|\|\||\|/)) {
    const words = [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
    if (words.length > 0 && !words[0]!.startsWith('#')) result.push(words);
  }
  return result;
}

interface Invocation {
  readonly file: string;
  readonly launcher: readonly string[];
  readonly args: readonly string[];
}

function dynenvInvocations(): Invocation[] {
  const found: Invocation[] = [];
  for (const [file, workflow] of workflows) {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) {
        for (const words of commands(step.run ?? '')) {
          const at = words.indexOf('dynenv');
          if (at !== -1) found.push({ file, launcher: words.slice(0, at), args: words.slice(at + 1) });
        }
      }
    }
  }
  return found;
}

/** What is wrong with `dynenv <args>` by the verbs' declarations; empty when it is a real verb with real flags. */
function problems(args: readonly string[]): string[] {
  const [name, ...rest] = args;
  const verb = VERBS.find((candidate) => candidate.name === name);
  if (!verb) return [`"${name}" is not a dynenv verb (verbs: ${VERBS.map((candidate) => candidate.name).join(', ')})`];
  const declared = Object.entries(verb.flags as Flags);
  const byName = new Map<string, [string, Flag]>();
  for (const [flagName, flag] of declared) for (const spelling of [flagName, ...(flag.aliases ?? [])]) byName.set(spelling, [flagName, flag]);
  const found: string[] = [];
  const given = new Set<string>();
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    const [spelling, inline] = word.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    const entry = word.startsWith('--') ? byName.get(spelling) : undefined;
    if (!entry) {
      found.push(`dynenv ${name}: "${word}" is not one of its flags`);
      continue;
    }
    const [flagName, flag] = entry;
    given.add(flagName);
    if (flag.type === 'boolean') continue;
    const value = inline ?? rest[++index];
    if (value === undefined || value.startsWith('--')) found.push(`dynenv ${name} --${spelling}: no value`);
    else if (flag.type === 'string' && flag.choices && !value.startsWith('$') && !flag.choices.includes(value)) found.push(`dynenv ${name} --${spelling}: "${value}" is not one of ${flag.choices.join(', ')}`);
  }
  for (const [flagName, flag] of declared) {
    if (flag.type !== 'boolean' && flag.type !== 'list' && flag.required && flag.default === undefined && flag.env === undefined && !given.has(flagName)) found.push(`dynenv ${name}: --${flagName} is required`);
  }
  return found;
}

describe('the GitHub Actions recipes', () => {
  it('are the pull-request, main and manual prod workflows', () => {
    expect(files).toEqual(['main.yml', 'promote-prod.yml', 'pull-request.yml']);
    expect(Object.keys(workflows.get('pull-request.yml')!.on)).toEqual(['pull_request']);
    expect(workflows.get('main.yml')!.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.keys(workflows.get('promote-prod.yml')!.on)).toEqual(['workflow_dispatch']);
  });

  it('run only real dynenv verbs with real flags, as the CLI declares them', () => {
    const invocations = dynenvInvocations();
    expect(invocations.map((invocation) => `${invocation.file}: ${invocation.args.slice(0, 1).join(' ')}`)).toEqual(
      expect.arrayContaining(['pull-request.yml: synth', 'pull-request.yml: validate', 'main.yml: promote', 'promote-prod.yml: promote']),
    );
    expect(invocations.flatMap((invocation) => problems(invocation.args).map((problem) => `${invocation.file}: ${problem}`))).toEqual([]);
  });

  it('checks the recipe checker: it catches a verb, a flag or a required flag that is not there', () => {
    expect(problems(['synth', '--check'])).toEqual([]);
    expect(problems(['validate', '--dir', 'gitops', '--format', 'json'])).toEqual([]);
    expect(problems(['deploy'])[0]).toContain('"deploy" is not a dynenv verb');
    expect(problems(['synth', '--chek'])).toEqual(['dynenv synth: "--chek" is not one of its flags']);
    expect(problems(['validate', '--format', 'xml'])).toEqual(['dynenv validate --format: "xml" is not one of text, json']);
    expect(problems(['promote', '--service', 'api'])).toEqual(['dynenv promote: --to is required']);
  });

  it('run dynenv as `npx --no -- dynenv`: the installed one, or a failure, never a package fetched by that name', () => {
    for (const invocation of dynenvInvocations()) expect(invocation.launcher, invocation.file).toEqual(['npx', '--no', '--']);
  });

  it('grant least privilege: read-only at the top, writes only in the jobs that push or open pull requests', () => {
    for (const [file, workflow] of workflows) {
      expect(workflow.permissions, file).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level === 'write').map(([scope]) => scope).sort();
        const pushesImages = job.steps.some((step) => step.uses?.startsWith('docker/build-push-action') && step.with?.push === true);
        const promotes = job.steps.some((step) => commands(step.run ?? '').some((words) => words.includes('promote')));
        const needed = [...(pushesImages ? ['packages'] : []), ...(promotes ? ['contents', 'pull-requests'] : [])].sort();
        expect(writes, `${file}: job ${name}`).toEqual(needed);
      }
    }
  });

  it('never race themselves: a concurrency group each; main and prod queue, a pull request cancels its older run', () => {
    expect(workflows.get('pull-request.yml')!.concurrency).toEqual({ group: 'dynenv-pr-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(workflows.get('main.yml')!.concurrency).toEqual({ group: 'dynenv-main', 'cancel-in-progress': false });
    expect(workflows.get('promote-prod.yml')!.concurrency).toEqual({ group: 'dynenv-promote-prod', 'cancel-in-progress': false });
  });

  it('push pull-request images with the tag previews pull by default', () => {
    const previewTag = previewSchema.shape.imageTag.parse(undefined).replace('{{head_sha}}', '${{ github.event.pull_request.head.sha }}');
    const build = workflows.get('pull-request.yml')!.jobs.image!.steps.find((step) => step.uses?.startsWith('docker/build-push-action'))!;
    expect(String(build.with?.tags)).toMatch(new RegExp(`:${previewTag.replace(/[$.{}]/g, '\\$&')}$`));
  });

  it('promote on main the digest the build step pushed', () => {
    const steps = workflows.get('main.yml')!.jobs.release!.steps;
    const build = steps.find((step) => step.uses?.startsWith('docker/build-push-action'));
    const promote = steps.find((step) => step.run?.includes('dynenv promote'));
    expect(build).toMatchObject({ id: 'build', with: { push: true } });
    expect(promote?.env?.DIGEST).toBe('${{ steps.build.outputs.digest }}');
    expect(commands(promote!.run!)[0]).toEqual(['npx', '--no', '--', 'dynenv', 'promote', '--service', '$SERVICE', '--to', 'staging', '--digest', '$DIGEST']);
  });
});
