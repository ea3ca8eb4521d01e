/**
 * The smoke test of a preview (`preview.smokeTest`), resolved: what it runs, and where it reaches the preview —
 * its URL through the ingress controller (the default, as a reviewer reaches it), or one service inside the
 * namespace. Its configuration problems are found here too, so the error and the construct agree.
 */
import { resolvePreview } from './resolve-preview.ts';
import { enabledServices } from './resolve.ts';
import { HTTP_PORT_NAME, SHORTHAND_SERVICE_PORT, httpPort, servicePorts } from './resolve-ports.ts';
import type { Config } from './schema.ts';
import type { SmokeTestConfig } from './smoke-test-schema.ts';

/** The name of the Job, the label value its pods carry, and the NetworkPolicy that lets it out: one per preview. */
export const SMOKE_TEST_NAME = 'dynenv-smoke-test';

export type SmokeTestTarget =
  /** The preview's URL (the `DYNENV_PREVIEW_URL` of the identity ConfigMap), through the ingress controller. */
  | { readonly kind: 'url' }
  /** A service's Service, inside the namespace (the namespace's own traffic is allowed already). */
  | { readonly kind: 'service'; readonly url: string };

export interface ResolvedSmokeTest extends Omit<SmokeTestConfig, 'service'> {
  readonly target: SmokeTestTarget;
}

type Problem = { path: (string | number)[]; message: string };

/** Why `preview.smokeTest` cannot be synthesized, each with the field at fault; [] when it can (or is not set). */
export function smokeTestProblems(config: Config): Problem[] {
  const smoke = config.preview.smokeTest;
  if (smoke === undefined) return [];
  const path = ['preview', 'smokeTest'];
  if (smoke.service === undefined) {
    if (resolvePreview(config).host !== undefined) return [];
    return [
      { path, message: 'needs "preview.host" and a service with "ingress: true" (the URL it tests), or "service" (a service to test inside the namespace)' },
    ];
  }
  const service = config.services.find((candidate) => candidate.name === smoke.service);
  if (service === undefined) {
    return [
      { path: [...path, 'service'], message: `no service "${smoke.service}" (services: ${config.services.map((candidate) => candidate.name).join(', ')})` },
    ];
  }
  if (!enabledServices(config, 'preview').includes(service)) {
    return [
      { path: [...path, 'service'], message: `service "${smoke.service}" is not enabled in previews (environments.preview.services.${smoke.service}.enabled)` },
    ];
  }
  if (httpPort(servicePorts(service)) === undefined) {
    return [{ path: [...path, 'service'], message: `service "${smoke.service}" has neither a port named "${HTTP_PORT_NAME}" nor a single port to test` }];
  }
  return [];
}

/** The smoke test, or undefined when none is configured. Call it on a configuration without smokeTestProblems. */
export function resolveSmokeTest(config: Config): ResolvedSmokeTest | undefined {
  const smoke = config.preview.smokeTest;
  if (smoke === undefined) return undefined;
  const { service: serviceName, ...rest } = smoke;
  if (serviceName === undefined) return { ...rest, target: { kind: 'url' } };
  const service = config.services.find((candidate) => candidate.name === serviceName);
  const http = service && httpPort(servicePorts(service));
  if (http === undefined) throw new Error(`unvalidated configuration: preview.smokeTest.service ${serviceName}`);
  const url = http.port === SHORTHAND_SERVICE_PORT ? `http://${serviceName}` : `http://${serviceName}:${http.port}`;
  return { ...rest, target: { kind: 'service', url } };
}
