/**
 * Probes as dynenv.yaml declares them: one check (`http`, `grpc`, `tcp` or `exec`) and Kubernetes' timings. A
 * probe is `false` to say the service has none of that kind (removing one that `healthPath` would derive).
 */
import { z } from 'zod';
import { count, httpPath } from './primitives.ts';
import { portReference } from './ports-schema.ts';

const command = z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).min(1, { error: 'expected at least one item' });

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'expected an HTTP header name' });

const httpCheck = z.strictObject({
  path: httpPath.default('/').meta({ description: 'Path requested. Default: "/".' }),
  port: portReference.meta({ description: "Port requested: the name of one of the service's ports, or a number. Required." }),
  headers: z
    .record(headerName, z.string({ error: 'expected a string' }), { error: 'expected a map of header name to value' })
    .optional()
    .meta({ description: 'Headers sent with the request, e.g. { Cookie: "session=probe" }. Default: none.' }),
  scheme: z.enum(['HTTP', 'HTTPS'], { error: 'expected "HTTP" or "HTTPS"' }).default('HTTP').meta({ description: 'Scheme. Default: "HTTP".' }),
});

const grpcCheck = z.strictObject({
  port: portReference.meta({ description: 'Port of the gRPC health service: a port name of the service, or a number. Required.' }),
  service: z
    .string({ error: 'expected a string' })
    .optional()
    .meta({ description: 'Service name sent in the gRPC HealthCheckRequest. Default: none (the server as a whole).' }),
});

const tcpCheck = z.strictObject({
  port: portReference.meta({ description: 'Port that must accept a connection: a port name of the service, or a number. Required.' }),
});

const execCheck = z.strictObject({
  command: command.meta({ description: 'Command run in the container; exit status 0 is healthy. Required.' }),
});

const seconds = (what: string, fallback: string, min = 0) =>
  count(86400, min)
    .optional()
    .meta({ description: `${what}. Default: ${fallback}.` });

export const probeSchema = z
  .strictObject({
    http: httpCheck.optional().meta({ description: 'An HTTP GET that must answer 200-399. Default: none.' }),
    grpc: grpcCheck.optional().meta({ description: 'A gRPC health check (grpc.health.v1), native since Kubernetes 1.27. Default: none.' }),
    tcp: tcpCheck.optional().meta({ description: 'A TCP connection. Default: none.' }),
    exec: execCheck.optional().meta({ description: 'A command in the container (needs a shell or binary in the image). Default: none.' }),
    initialDelaySeconds: seconds('Seconds after the container starts before the first probe', "Kubernetes' 0"),
    periodSeconds: seconds('Seconds between probes', "Kubernetes' 10", 1),
    timeoutSeconds: seconds('Seconds after which a probe counts as failed', "Kubernetes' 1", 1),
    failureThreshold: seconds('Failures in a row that count as unhealthy', "Kubernetes' 3", 1),
    successThreshold: seconds('Successes in a row that count as healthy again (1 for liveness and startup)', "Kubernetes' 1", 1),
  })
  .superRefine((probe, ctx) => {
    const checks = (['http', 'grpc', 'tcp', 'exec'] as const).filter((check) => probe[check] !== undefined);
    if (checks.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: checks.length === 0 ? 'expected one of "http", "grpc", "tcp" or "exec"' : `expected one check, got ${checks.join(' and ')}`,
      });
    }
  });
export type ProbeConfig = z.infer<typeof probeSchema>;

const DERIVED = 'derived from `healthPath`/`healthCommand`, else none';

const probeOrNone = (kind: string, when: string, fallback = DERIVED) =>
  z
    .union([z.literal(false), probeSchema], { error: 'expected false or a probe with one of "http", "grpc", "tcp" or "exec"' })
    .optional()
    .meta({ description: `The ${kind} probe (${when}), or false for none. Default: ${fallback}.` });

export const probesSchema = z
  .strictObject({
    readiness: probeOrNone('readiness', 'whether the pod gets traffic'),
    liveness: probeOrNone(
      'liveness',
      'whether the container is restarted; check the process itself, never a dependency, or an outage restarts every pod',
      'none (a health endpoint that reports dependencies is a readiness check)',
    ),
    startup: probeOrNone('startup', 'holds readiness and liveness off until the container has started, restarts one that never does'),
  })
  .optional()
  .meta({
    description:
      'Readiness, liveness and startup probes. Each replaces the one `healthPath` or `healthCommand` derives (they derive no ' +
      'liveness); false removes it ' +
      '(readiness: false declares a service that serves no traffic). Default: none beyond the derived ones.',
  });
export type ProbesConfig = NonNullable<z.infer<typeof probesSchema>>;
