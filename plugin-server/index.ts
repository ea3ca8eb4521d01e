/**
 * The plugin server as a library (`import { buildServer } from '@dynenv/cli/plugin-server'`). This entry loads
 * Fastify and Octokit, never cdk8s: the server's process stays small.
 */
export { buildServer, type PluginServerDeps } from './app.ts';
export { ConfigurationError, loadPluginServerConfig, type GitHubCredentials, type PluginServerConfig } from './config.ts';
export { PLUGIN_SERVER_DEFAULTS } from '../contract/plugin-server-defaults.ts';
export type { PullRequestListing, PullRequestSource } from './github/pull-request-source.ts';
export type { PullRequest } from './github/pull-request.ts';
export { runPluginServer, startPluginServer, type StartPluginServerOptions } from './main.ts';
