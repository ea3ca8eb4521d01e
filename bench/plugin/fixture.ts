/** The repository every benchmark uses: 300 open pull requests in the fake GitHub, all labelled for previews. */
import type { FakeGitHub } from '../../test/fake-github/index.ts';

export const REPOSITORY = 'acme/shop';
export const OPEN_PULL_REQUESTS = 300;
export const PLUGIN_TOKEN = 'bench-plugin-token';

/** What every ApplicationSet of the benchmarks asks for. */
export const PARAMETERS = { repo: REPOSITORY, labels: ['preview'], namespacePrefix: 'shop' };

/** The body Argo CD sends for PARAMETERS. */
export const GETPARAMS_BODY = `${JSON.stringify({ applicationSetName: 'previews', input: { parameters: PARAMETERS } })}\n`;

export function seedPullRequests(fake: FakeGitHub, count = OPEN_PULL_REQUESTS): void {
  fake.createRepository(REPOSITORY);
  const branches = ['feature', 'fix', 'chore', 'dependabot/npm_and_yarn'];
  for (let i = 0; i < count; i++) {
    fake.openPullRequest(REPOSITORY, {
      head: `${branches[i % branches.length]}/Ticket_${1000 + i}-${i % 3 === 0 ? 'Ünïcode branch' : 'change'}`,
      title: `Change number ${i}`,
      labels: i % 5 === 0 ? ['preview', 'backend'] : ['preview'],
    });
    fake.advanceClock(60_000);
  }
}
