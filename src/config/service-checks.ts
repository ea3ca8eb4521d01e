/**
 * Rules that span the fields of one service: the ports it declares and refers to, the probes it needs, where its
 * image comes from. Each problem names the field at fault; the loader adds the file and the service's index.
 */
import { PROBE_KINDS } from './resolve-probes.ts';
import { HTTP_PORT_NAME, servicePorts, type ResolvedPort } from './resolve-ports.ts';
import type { ServiceConfig } from './service-schema.ts';
import { checkWorkload, imageIssues } from './workload-checks.ts';
import type { ServiceIssue } from './service-issue.ts';

export function checkService(service: ServiceConfig): ServiceIssue[] {
  return [...portRules(service), ...probeRules(service), ...imageRules(service), ...jobRules(service), ...checkWorkload(service)];
}

function portRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  if (service.port !== undefined && service.ports !== undefined) {
    issues.push({ path: ['ports'], message: 'set either "port" (one HTTP port) or "ports", not both' });
  }
  const duplicates = (field: 'name' | 'containerPort' | 'port', what: string) => {
    const seen = new Map<string, number>();
    service.ports?.forEach((port, index) => {
      const value = field === 'port' ? (port.port ?? port.containerPort) : port[field];
      const key = field === 'name' ? String(value) : `${value}/${port.protocol}`;
      const first = seen.get(key);
      if (first !== undefined) issues.push({ path: ['ports', index, field], message: `${what} ${value} also in ports[${first}]` });
      else seen.set(key, index);
    });
  };
  duplicates('name', 'port name');
  duplicates('containerPort', 'container port');
  duplicates('port', 'Service port');
  const ports = servicePorts(service);
  if (ports.length === 0) {
    for (const field of ['healthPath', 'ingress'] as const) {
      if (service[field]) issues.push({ path: [field], message: 'needs "port" or "ports" on the same service' });
    }
  } else if (ports.length > 1 && !ports.some((port) => port.name === HTTP_PORT_NAME)) {
    for (const field of ['healthPath', 'ingress'] as const) {
      if (service[field]) {
        issues.push({ path: [field], message: `uses the port named "${HTTP_PORT_NAME}", and there is none among ${portNames(ports)}` });
      }
    }
  }
  return issues;
}

function probeRules(service: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const ports = servicePorts(service);
  for (const kind of PROBE_KINDS) {
    const probe = service.probes?.[kind];
    if (!probe) continue;
    for (const check of ['http', 'grpc', 'tcp'] as const) {
      const reference = probe[check]?.port;
      if (typeof reference === 'string' && !ports.some((port) => port.name === reference)) {
        issues.push({
          path: ['probes', kind, check, 'port'],
          message: `no port named "${reference}" on this service (${ports.length ? `ports: ${portNames(ports)}` : 'it has no ports'})`,
        });
      }
    }
  }
  const hasReadiness =
    service.kind === 'CronJob' || service.probes?.readiness !== undefined || service.healthCommand !== undefined || service.healthPath !== undefined;
  if (!hasReadiness) {
    issues.push({
      path: [],
      message:
        'needs a readiness check: set "healthPath" (with a port), "healthCommand" or "probes.readiness" ' +
        '(probes.readiness: false for a service that serves no traffic)',
    });
  }
  return issues;
}

function imageRules(service: ServiceConfig): ServiceIssue[] {
  return imageIssues(service.image, service.builtHere, ['image']).map((issue) => ({
    ...issue,
    message: issue.message.replace('environments.<env>.services.<service>.digest', `environments.<env>.services.${service.name}.digest`),
  }));
}

function jobRules(service: ServiceConfig): ServiceIssue[] {
  return (['migrate', 'seed'] as const)
    .filter((field) => service[field] && service.database === undefined)
    .map((field) => ({ path: [field], message: 'needs "database" on the same service' }));
}

function portNames(ports: readonly ResolvedPort[]): string {
  return ports.map((port) => port.name).join(', ');
}
