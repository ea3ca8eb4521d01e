/**
 * GitHub's public REST API; GitHub Enterprise (`https://host/api/v3`) and test servers are set instead. In a module of
 * its own, so that help texts show it without loading Octokit.
 */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
