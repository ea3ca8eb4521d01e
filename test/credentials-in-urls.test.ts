/**
 * Issue 10, finding 3: a credential written into a URL (repository.url, GITHUB_API_URL, the origin remote) never
 * reaches a file dynenv writes, a log line or a message. Each URL is tried with a token in it, and everything
 * dynenv writes or says is searched for the token.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadPluginServerConfig } from '../plugin-server/config.ts';
import { startPluginServer } from '../plugin-server/main.ts';
import { parseConfig } from '../src/config/load.ts';
import { problems } from './support/config-problems.ts';
import { gitHubClientFromEnvironment } from '../src/delivery/github-client.ts';
import { hasUrlCredentials, redactCredentials } from '../contract/redact-credentials.ts';
import { dynenv, dynenvInProcess } from './support/cli.ts';
import { rejection } from './support/errors.ts';
import { commitOnMain, createGitFixture, git, pullMain } from './support/git-fixture.ts';
import { readTree } from '../src/gitops/write.ts';
import { exampleWorkspace, tempDir } from './support/workspace.ts';

/** Shaped like a GitHub personal access token (ghp_ and 36 characters), so every rule that knows tokens applies. */
const TOKEN = 'ghp_R3dact3dR3dact3dR3dact3dR3dact3d1234';

describe('redactCredentials, the one redaction every message and log line goes through', () => {
  it.each([
    ['https://x-access-token:SECRET@github.com/acme/shop.git', 'https://***@github.com/acme/shop.git'],
    ['https://SECRET@github.com/acme/shop.git', 'https://***@github.com/acme/shop.git'],
    ['http://user:p%40ss@ghe.example.com/api/v3', 'http://***@ghe.example.com/api/v3'],
    ['https://user:p@ss@ghe.example.com/api/v3', 'https://***@ghe.example.com/api/v3'],
    ['ssh://git:SECRET@example.com/acme/shop.git', 'ssh://***@example.com/acme/shop.git'],
    ["fatal: unable to access 'https://u:SECRET@example.com/x/': 403", "fatal: unable to access 'https://***@example.com/x/': 403"],
    [`ssh: Could not resolve hostname git:${TOKEN}@example.invalid`, 'ssh: Could not resolve hostname git:***@example.invalid'],
    [`github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz in a sentence`, '*** in a sentence'],
  ])('%s → %s', (text, redacted) => {
    expect(redactCredentials(text)).toBe(redacted);
    expect(redactCredentials(text)).not.toContain('SECRET');
  });

  it.each([
    'ssh://git@github.com/acme/shop.git',
    'git@github.com:acme/shop.git',
    'https://github.com/acme/shop.git',
    'mail dana@example.com about https://example.com/a@b',
  ])('keeps %s, which holds no credential', (text) => {
    expect(redactCredentials(text)).toBe(text);
    expect(hasUrlCredentials(text)).toBe(false);
  });
});

describe('repository.url', () => {
  const config = (url: string) =>
    `app: shop\nrepository: { url: "${url}", github: acme/shop }\nargocd: { plugin: { image: "ghcr.io/acme/dynenv:1.0.0" } }\nservices: [{ name: api, image: ghcr.io/acme/api, healthCommand: [x] }]\n` +
    `environments: { dev: { imageTag: main }, staging: { services: { api: { digest: "sha256:${'a'.repeat(64)}" } } }, ` +
    `prod: { services: { api: { digest: "sha256:${'b'.repeat(64)}" } } } }\n`;
  it.each([
    [`https://x-access-token:${TOKEN}@github.com/acme/shop.git`, 'https://***@github.com/acme/shop.git'],
    [`https://${TOKEN}@github.com/acme/shop.git`, 'https://***@github.com/acme/shop.git'],
    [`ssh://git:${TOKEN}@github.com/acme/shop.git`, 'ssh://***@github.com/acme/shop.git'],
  ])('with credentials (%s) is refused, naming the field and showing the value redacted', (url, shown) => {
    expect(problems(config(url))).toEqual([
      `dynenv.yaml: repository.url: must not hold credentials, got ${JSON.stringify(shown)}: the URL is committed to gitops/argocd/. ` +
        'Give Argo CD the credentials in a repository Secret (argocd.argoproj.io/secret-type: repository), and dynenv in GITHUB_TOKEN',
    ]);
  });

  it('that is not a URL at all is shown redacted too', () => {
    expect(problems(config(`ftp://u:${TOKEN}@example.com/x.git`))).toEqual([
      'dynenv.yaml: repository.url: expected a Git URL such as "https://github.com/acme/checkout.git", got "ftp://***@example.com/x.git"',
    ]);
  });

  it('holding "{{" is refused: the ApplicationSet template would evaluate it', () => {
    expect(problems(config('https://github.com/acme/{{.branch}}.git'))).toEqual([
      'dynenv.yaml: repository.url: must not contain "{" or "}", got "https://github.com/acme/{{.branch}}.git": ' +
        'the preview ApplicationSet is a Go template, which would evaluate "{{ … }}"',
    ]);
  });

  it('as ssh with a user name only is accepted', () => {
    expect(parseConfig(config('ssh://git@github.com/acme/shop.git')).repository?.url).toBe('ssh://git@github.com/acme/shop.git');
  });

  it('regression: synth with a token in repository.url writes no file and says no token', async () => {
    const dir = await exampleWorkspace();
    const file = path.join(dir, 'dynenv.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('https://github.com/', `https://x-access-token:${TOKEN}@github.com/`));
    const result = await dynenvInProcess(dir, ['synth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('repository.url: must not hold credentials, got "https://***@github.com/example-org/checkout.git"');
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    expect((await readTree(path.join(dir, 'gitops'))).size).toBe(0);
  });
});

describe('GITHUB_API_URL', () => {
  const url = `https://x-access-token:${TOKEN}@ghe.example.com/api/v3`;

  it('with credentials stops the plugin server before it starts, redacted in the message, and nothing is logged', async () => {
    const lines: string[] = [];
    const env = { PLUGIN_TOKEN: 'p', GITHUB_TOKEN: 't', DYNENV_REPOS: 'acme/shop', GITHUB_API_URL: url, HOST: '127.0.0.1', PORT: '0' };
    const error = await rejection(startPluginServer(env, { logStream: { write: (line) => lines.push(line) } }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'GITHUB_API_URL: must not hold credentials (got "https://***@ghe.example.com/api/v3"): put the token in GITHUB_TOKEN',
    ]);
    expect(lines).toEqual([]);
    expect(() => loadPluginServerConfig({ ...env, GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).not.toThrow();
  });

  it('regression: dynenv serve does not print it', async () => {
    const result = await dynenv(await tempDir(), ['serve'], {
      PLUGIN_TOKEN: 'p',
      GITHUB_TOKEN: 't',
      DYNENV_REPOS: 'acme/shop',
      GITHUB_API_URL: url,
      PORT: '0',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GITHUB_API_URL: must not hold credentials (got "https://***@ghe.example.com/api/v3")');
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it('with credentials is refused by propose and promote before anything is done', () => {
    const error = (() => {
      try {
        gitHubClientFromEnvironment({ GITHUB_TOKEN: 't', GITHUB_API_URL: url });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.message).toBe(
      'GITHUB_API_URL: must not hold credentials, got "https://***@ghe.example.com/api/v3": put the token in GITHUB_TOKEN. Nothing was changed.',
    );
  });
});

describe('an origin URL with a token', () => {
  /**
   * The fixture's origin, reached over "ssh" with a token in the URL: a stand-in ssh runs git's command on this
   * machine, and, asked for a host it does not serve, fails the way ssh does, naming the host argument it got.
   */
  async function tokenOrigin() {
    const fixture = await createGitFixture();
    const bin = await tempDir();
    const ssh = path.join(bin, 'ssh');
    await writeFile(
      ssh,
      '#!/bin/sh\nhost="$1"; shift\ncase "$host" in *example.invalid) exec sh -c "$1" ;; esac\necho "ssh: Could not resolve hostname $host" >&2\nexit 255\n',
      { mode: 0o755 },
    );
    const env = { GIT_SSH_COMMAND: ssh, GIT_SSH_VARIANT: 'simple', GITHUB_TOKEN: 'unused', GITHUB_API_URL: 'http://127.0.0.1:9' };
    const setOrigin = (host: string) => git(fixture.work, 'remote', 'set-url', 'origin', `ssh://git:${TOKEN}@${host}${fixture.origin}`);
    // Without repository in dynenv.yaml, delivery reads which GitHub repository to use from origin's URL.
    await commitOnMain(fixture, 'No repository section', async (clone) => {
      const file = path.join(clone, 'dynenv.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^repository:\n(?: {2}.*\n)+/m, ''));
    });
    await pullMain(fixture);
    return { fixture, env, setOrigin };
  }

  it('is redacted in what promote says when origin is not a GitHub URL', async () => {
    const { fixture, env, setOrigin } = await tokenOrigin();
    await setOrigin('example.invalid');
    const result = await dynenvInProcess(fixture.work, ['promote', '--service', 'api', '--to', 'staging', '--digest', `sha256:${'a1'.repeat(32)}`], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`origin is ssh://***@example.invalid${fixture.origin}, not a GitHub URL`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it('is redacted in what propose, promote and history say when git fails and repeats it', async () => {
    const { fixture, env, setOrigin } = await tokenOrigin();
    await setOrigin('unreachable.example.com');
    const config = path.join(fixture.work, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('LOG_LEVEL: warn', 'LOG_LEVEL: error'));
    await git(fixture.work, 'commit', '--quiet', '-am', 'A change to propose');
    for (const args of [
      ['propose', '--base', 'main'],
      ['promote', '--service', 'api', '--to', 'staging', '--digest', `sha256:${'a1'.repeat(32)}`, '--base', 'main'],
      ['history', '--env', 'staging', '--base', 'main'],
    ]) {
      const result = await dynenvInProcess(fixture.work, args, env);
      expect(`${result.stdout}${result.stderr}`, args[0]).toContain('Could not resolve hostname git:***@unreachable.example.com');
      expect(`${result.stdout}${result.stderr}`, args[0]).not.toContain(TOKEN);
    }
  });
});
