/**
 * How a service's pods stop without dropping requests. When a pod is deleted (a rollout, a drain, a scale-down),
 * Kubernetes removes it from the Service's endpoints and sends SIGTERM at the same moment; kube-proxy, the ingress
 * controller and cloud load balancers learn about the removal a few seconds later and keep sending it requests
 * meanwhile. A `preStop` sleep holds SIGTERM back until they have caught up. The images are distroless (no
 * `sleep` binary to exec), so it is the kubelet's own sleep action, `lifecycle.preStop.sleep` (beta and on by
 * default since Kubernetes 1.30: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/).
 * The grace period counts from the start of the hook, so it must be longer than the sleep.
 */
import { servicePorts } from './resolve-ports.ts';
import type { ServiceConfig } from './service-schema.ts';

/** The sleep of a service that serves traffic, unless it sets its own. */
export const DEFAULT_PRE_STOP_SLEEP_SECONDS = 5;
/** Kubernetes' own grace period: what the process keeps for its shutdown after the sleep. */
export const KUBERNETES_GRACE_PERIOD_SECONDS = 30;

export interface ResolvedShutdown {
  /** Seconds the main container sleeps before SIGTERM; 0: no preStop hook. */
  readonly preStopSleepSeconds: number;
  /** The pod's grace period; undefined leaves Kubernetes' 30 s. */
  readonly terminationGracePeriodSeconds?: number;
}

type ShutdownSettings = Pick<ServiceConfig, 'kind' | 'port' | 'ports' | 'preStopSleepSeconds' | 'terminationGracePeriodSeconds'>;

/** Whether a service's pods receive traffic through a Service: a Deployment or StatefulSet with ports. */
export function servesTraffic(service: Pick<ServiceConfig, 'kind' | 'port' | 'ports'>): boolean {
  return service.kind !== 'CronJob' && servicePorts(service).length > 0;
}

export function resolveShutdown(service: ShutdownSettings): ResolvedShutdown {
  const grace = service.terminationGracePeriodSeconds;
  // A service that sets a short grace period (Online Boutique's 5 s) keeps at least half of it for its own shutdown.
  const defaultSleep = grace === undefined ? DEFAULT_PRE_STOP_SLEEP_SECONDS : Math.min(DEFAULT_PRE_STOP_SLEEP_SECONDS, Math.floor(grace / 2));
  const preStopSleepSeconds = service.preStopSleepSeconds ?? (servesTraffic(service) ? defaultSleep : 0);
  const terminationGracePeriodSeconds =
    service.terminationGracePeriodSeconds ?? (preStopSleepSeconds > 0 ? preStopSleepSeconds + KUBERNETES_GRACE_PERIOD_SECONDS : undefined);
  return { preStopSleepSeconds, ...(terminationGracePeriodSeconds !== undefined && { terminationGracePeriodSeconds }) };
}
