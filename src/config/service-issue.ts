/** A rule a service breaks, found by the service checks (service-checks.ts, workload-checks.ts). */
export interface ServiceIssue {
  /** Path inside the service, e.g. ["probes", "readiness", "grpc", "port"]. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}
