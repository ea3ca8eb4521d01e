import type { FlagValues } from '../cli/flags.ts';
import type { serveFlags } from './serve.ts';

/** `dynenv serve`: the plugin server, until SIGTERM. Its module graph holds Fastify and Octokit, never cdk8s. */
export async function run(_flags: FlagValues<typeof serveFlags>): Promise<number> {
  const { runPluginServer } = await import('../../plugin-server/main.ts');
  return runPluginServer(process.env);
}
