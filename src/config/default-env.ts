/**
 * The environment every service's main container starts from. Its images run as a non-root user on a read-only
 * root file system, so the user's home directory (distroless "nonroot": /home/nonroot) cannot be written, and
 * tools that keep a cache or config under $HOME (npm, node-gyp, Corepack, pip, Go's build cache, git) fail at the
 * first write. HOME=/tmp points them at the writable emptyDir dynenv mounts there. A service that needs its home
 * elsewhere sets HOME in `env` (environments may too), and mounts a writable path with an emptyDir volume.
 */
import type { EnvValue } from './env-schema.ts';
import type { ServiceConfig } from './service-schema.ts';

/** HOME unless the service's env sets it. */
export const DEFAULT_HOME = '/tmp';

/** The service's own env over dynenv's defaults. */
export function serviceEnv(service: Pick<ServiceConfig, 'env'>): Record<string, EnvValue> {
  return { HOME: DEFAULT_HOME, ...service.env };
}
