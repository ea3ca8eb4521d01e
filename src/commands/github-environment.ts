import type { EnvironmentVariable } from '../cli/verb.ts';

/** What propose and promote read from the environment to open their pull request. */
export const GITHUB_ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'GITHUB_TOKEN', description: 'a token that may push branches and open pull requests (required)' },
  { name: 'GITHUB_API_URL', description: 'the REST API: GitHub Enterprise or a test server', default: 'https://api.github.com' },
];
