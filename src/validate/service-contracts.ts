/**
 * The service-to-service contracts dynenv.yaml declares in each environment (`allowFrom`, `talksTo`, among the
 * services enabled there), for validate's rules: the rendered NetworkPolicies say what is admitted, not which end
 * of a contract left it open.
 */
import { resolveContracts, type ServiceContract } from '../config/resolve-contracts.ts';
import { enabledServices } from '../config/resolve.ts';
import { ENVIRONMENT_NAMES, type Config } from '../config/schema.ts';

/** By environment name, the contracts of its services (only those that declare one). */
export type EnvironmentContracts = ReadonlyMap<string, readonly ServiceContract[]>;

export function environmentContracts(config: Config): EnvironmentContracts {
  return new Map(ENVIRONMENT_NAMES.map((name) => [name, resolveContracts(enabledServices(config, name))]));
}
