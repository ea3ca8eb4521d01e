/** Resolved probes (every port a number) as the Kubernetes Probe objects of a container. */
import * as kplus from 'cdk8s-plus-28';
import type { ResolvedProbe, ResolvedProbes } from '../config/resolve-probes.ts';

const { IntOrString } = kplus.k8s;

export function kubeProbe(probe: ResolvedProbe): kplus.k8s.Probe {
  const { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold } = probe;
  const timings = { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold };
  if ('http' in probe) {
    const { path, port, headers, scheme } = probe.http;
    return {
      httpGet: {
        path,
        port: IntOrString.fromNumber(port),
        scheme,
        ...(headers && { httpHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })) }),
      },
      ...timings,
    };
  }
  if ('grpc' in probe) return { grpc: { port: probe.grpc.port, ...(probe.grpc.service !== undefined && { service: probe.grpc.service }) }, ...timings };
  if ('tcp' in probe) return { tcpSocket: { port: IntOrString.fromNumber(probe.tcp.port) }, ...timings };
  return { exec: { command: [...probe.exec.command] }, ...timings };
}

/** The probe fields of a container: only the probes there are. */
export function containerProbes(probes: ResolvedProbes): Pick<kplus.k8s.Container, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> {
  return {
    ...(probes.readiness && { readinessProbe: kubeProbe(probes.readiness) }),
    ...(probes.liveness && { livenessProbe: kubeProbe(probes.liveness) }),
    ...(probes.startup && { startupProbe: kubeProbe(probes.startup) }),
  };
}
