/** The stateful GitHub REST fake used by the plugin-server tests (and, later, by the delivery tests). */
export { DEFAULT_FAKE_TOKEN, FakeGitHub, startFakeGitHub } from './server.ts';
export type { FakeGitHubOptions, RecordedRequest, RequestCounters } from './server.ts';
export type { Fault, FaultMatch, FaultRule } from './faults.ts';
export type { FakePullRequest, FakeRepository, OpenPullRequestOptions, UpdatePullRequestOptions } from './state.ts';
