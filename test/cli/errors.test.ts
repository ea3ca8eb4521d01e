/**
 * What goes wrong around dynenv rather than in it (a port taken, no origin, a missing file, GitHub unreachable, a
 * folder that is not there) is one line on the command line that says what to do, never "a bug in dynenv". The
 * commands run in this process (`dynenvInProcess`: the binary's own `main`, its exit code and both streams); `serve`,
 * which keeps running, as a real process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { dynenv, dynenvInProcess } from '../support/cli.ts';
import { BUILT } from '../support/delivery.ts';
import { createGitFixture, git } from '../support/git-fixture.ts';
import { exampleWorkspace } from '../support/workspace.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A port something already listens on (kept open until the test ends). */
async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const PROMOTE = ['promote', '--service', 'api', '--to', 'staging', '--digest', BUILT.first];

describe('errors from around dynenv', () => {
  it('a port already in use: serve says so and what to set', async () => {
    const port = await takenPort();
    const result = await dynenv(process.cwd(), ['serve'], {
      HOST: '127.0.0.1',
      PORT: String(port),
      PLUGIN_TOKEN: 't',
      GITHUB_TOKEN: 'x',
      DYNENV_REPOS: 'acme/shop',
      DYNENV_LOG_LEVEL: 'silent',
    });
    expect(result).toMatchObject({
      code: 1,
      stderr: `dynenv serve: cannot listen on 127.0.0.1:${port}: the port is already in use. Stop the process that holds it, or set PORT to a free port\n`,
    });
  });

  it('a checkout without origin: promote says to add it, before anything changes', async () => {
    const fixture = await createGitFixture();
    await git(fixture.work, 'remote', 'remove', 'origin');
    const result = await dynenvInProcess(fixture.work, PROMOTE, { GITHUB_TOKEN: 'x', GITHUB_API_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(result).toMatchObject({
      code: 1,
      stderr: `dynenv promote: the repository at ${fixture.work} has no remote "origin": add it (git remote add origin <url>) and run again\n`,
    });
  });

  it("an origin that cannot be read: git's first complaint and where origin points, without its credentials", async () => {
    const fixture = await createGitFixture();
    await git(fixture.work, 'remote', 'set-url', 'origin', 'https://dana:s3cret@127.0.0.1:1/example-org/checkout.git');
    const result = await dynenvInProcess(fixture.work, PROMOTE, { GITHUB_TOKEN: 'x', GITHUB_API_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(
      /^dynenv promote: git fetch origin main failed: .+\. Check that origin \(https:\/\/127\.0\.0\.1:1\/example-org\/checkout\.git\) is reachable/,
    );
    expect(result.stderr).not.toContain('s3cret');
  });

  it('GitHub unreachable: "connection refused" with the URL to check, not "500 with id UNKNOWN"', async () => {
    const fixture = await createGitFixture();
    const api = `http://127.0.0.1:${await closedPort()}`;
    const result = await dynenvInProcess(fixture.work, PROMOTE, { GITHUB_TOKEN: 'x', GITHUB_API_URL: api });
    expect(result).toMatchObject({
      code: 1,
      stderr: `dynenv promote: GitHub API ${api}: GET /repos/example-org/checkout failed: connection refused. Check GITHUB_API_URL and the network, then run again.\n`,
    });
  });

  it('a configuration file that is not there: where to run, or which flag to give', async () => {
    const result = await dynenvInProcess(await exampleWorkspace(), ['synth', '--config', 'nope.yaml']);
    expect(result).toMatchObject({
      code: 1,
      stderr: 'dynenv synth: nope.yaml: cannot read the configuration: no such file: run dynenv in the folder that holds it, or name it with --config FILE\n',
    });
  });

  it('a file it cannot write: the path and why, not a stack trace', async () => {
    const dir = await exampleWorkspace();
    const result = await dynenvInProcess(dir, ['schema', '--out', 'no-such-folder/schema.json']);
    expect(result).toMatchObject({ code: 1, stderr: 'dynenv schema: no-such-folder/schema.json: no such file or directory\n' });
  });
});
