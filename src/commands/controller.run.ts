import type { FlagValues } from '../cli/flags.ts';
import type { controllerFlags } from './controller.ts';

/** `dynenv controller`: the Kubernetes side of the plugin server, until SIGTERM. */
export async function run(_flags: FlagValues<typeof controllerFlags>): Promise<number> {
  const { runController } = await import('../../plugin-server/controller/main.ts');
  return runController(process.env);
}
