/**
 * A simulated hour of polling: 10 ApplicationSets poll every 30 s (staggered), 300 open pull requests, and a
 * few pull-request events, each delivered to the plugin's webhook and followed by Argo CD refreshing every
 * ApplicationSet at once. The plugin server runs for real against the fake GitHub on loopback; only its clock
 * is simulated, so the hour takes seconds. Counts the GitHub calls that spend rate limit, next to what Argo CD's
 * built-in pull-request generator would spend on the same polls (ceil(open PRs / 100) each, every one counted).
 */
import { sign } from '@octokit/webhooks-methods';
import { buildServer } from '../../plugin-server/app.ts';
import { ManualClock } from '../../plugin-server/clock.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import { startFakeGitHub, type FakeGitHub } from '../../test/fake-github/index.ts';
import { GETPARAMS_BODY, PLUGIN_TOKEN, REPOSITORY, seedPullRequests } from './fixture.ts';

const APPLICATION_SETS = 10;
const POLL_INTERVAL_MS = 30_000;
const HOUR_MS = 3_600_000;
const WEBHOOK_SECRET = 'bench-webhook-secret';

/** The events of the hour: minute, what happens, and the pull request it happens to. */
const EVENTS: ReadonlyArray<{ minute: number; what: string; act: (fake: FakeGitHub) => void }> = [
  { minute: 7, what: 'a pull request opens', act: (f) => f.openPullRequest(REPOSITORY, { head: 'feature/new', labels: ['preview'] }) },
  { minute: 19, what: 'a commit is pushed', act: (f) => f.pushCommit(REPOSITORY, 42) },
  { minute: 26, what: 'the preview label is removed', act: (f) => f.removeLabel(REPOSITORY, 77, 'preview') },
  { minute: 38, what: 'a pull request is converted to draft', act: (f) => f.updatePullRequest(REPOSITORY, 120, { draft: true }) },
  { minute: 51, what: 'a pull request merges', act: (f) => f.mergePullRequest(REPOSITORY, 250) },
];

export interface PollingHourResult {
  readonly scheduledPolls: number;
  readonly webhookRefreshPolls: number;
  readonly events: number;
  /** GitHub calls that spent rate limit (everything but 304s), the first cold listing included. */
  readonly countedCalls: number;
  /** Conditional calls answered 304: free. */
  readonly notModifiedCalls: number;
  readonly builtinCountedCalls: number;
  /** Polls whose answer did not match GitHub's state at that moment (must be 0). */
  readonly wrongAnswers: number;
}

export async function simulatePollingHour(): Promise<PollingHourResult> {
  const fake = await startFakeGitHub();
  seedPullRequests(fake);
  const clock = new ManualClock(fake.now().getTime());
  const app = buildServer({
    config: { pluginToken: PLUGIN_TOKEN, basePath: '', webhookSecret: WEBHOOK_SECRET, repositories: [REPOSITORY] },
    pullRequests: new GitHubPullRequestSource({
      octokit: createGitHubClient({ apiUrl: fake.url, credentials: { kind: 'token', token: fake.token } }),
      clock,
    }),
    clock,
    logger: false,
  });
  await app.ready();

  const expectedSets = () =>
    [...(fake.repository(REPOSITORY)?.pulls.values() ?? [])].filter((p) => p.state === 'open' && !p.draft && p.labels.includes('preview')).length;
  const openPullRequests = () => [...(fake.repository(REPOSITORY)?.pulls.values() ?? [])].filter((p) => p.state === 'open').length;

  let builtinCountedCalls = 0;
  let wrongAnswers = 0;
  const poll = async () => {
    builtinCountedCalls += Math.ceil(openPullRequests() / 100);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/getparams.execute',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLUGIN_TOKEN}` },
      payload: GETPARAMS_BODY,
    });
    const sets = response.statusCode === 200 ? (response.json() as { output: { parameters: unknown[] } }).output.parameters.length : -1;
    if (sets !== expectedSets()) wrongAnswers += 1;
  };

  // The timeline: each ApplicationSet's polls, staggered across the 30 s, and the events.
  type Step = { at: number; kind: 'poll' } | { at: number; kind: 'event'; act: (fake: FakeGitHub) => void };
  const steps: Step[] = [];
  for (let set = 0; set < APPLICATION_SETS; set++) {
    for (let at = (set * POLL_INTERVAL_MS) / APPLICATION_SETS; at < HOUR_MS; at += POLL_INTERVAL_MS) steps.push({ at, kind: 'poll' });
  }
  for (const event of EVENTS) steps.push({ at: event.minute * 60_000 + 12_345, kind: 'event', act: event.act });
  steps.sort((a, b) => a.at - b.at);

  const start = clock.now();
  let scheduledPolls = 0;
  let webhookRefreshPolls = 0;
  for (const step of steps) {
    const delta = start + step.at - clock.now();
    clock.advance(delta);
    fake.advanceClock(delta);
    if (step.kind === 'poll') {
      scheduledPolls += 1;
      await poll();
      continue;
    }
    step.act(fake);
    const payload = JSON.stringify({ action: 'synchronize', repository: { full_name: REPOSITORY } });
    await app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, payload) },
      payload,
    });
    // The same event reaches Argo CD, which refreshes every plugin ApplicationSet at once.
    await Promise.all(Array.from({ length: APPLICATION_SETS }, () => poll()));
    webhookRefreshPolls += APPLICATION_SETS;
  }
  const { counted, notModified } = fake.counters;
  await app.close();
  await fake.close();
  return {
    scheduledPolls,
    webhookRefreshPolls,
    events: EVENTS.length,
    countedCalls: counted,
    notModifiedCalls: notModified,
    builtinCountedCalls,
    wrongAnswers,
  };
}
