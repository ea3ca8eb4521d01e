/**
 * The commented starter dynenv.yaml that `dynenv init` writes without `--from`: one service that synthesizes and
 * validates as it is, with the fields a real application reaches for next shown in comments.
 */

export interface StarterOptions {
  readonly app: string;
  readonly repositoryUrl?: string;
  readonly pluginImage?: string;
}

export function starterConfig(options: StarterOptions): string {
  const repository = options.repositoryUrl
    ? `repository:\n  url: ${options.repositoryUrl}\n  branch: main\n\nargocd:\n  # The dynenv image your cluster pulls (build it from dynenv's Dockerfile; better, pin its digest).\n  plugin: { image: ${options.pluginImage} }\n`
    : '# The Git repository Argo CD reads gitops/ from; without it only the base and overlays are synthesized.\n# repository: { url: https://github.com/<owner>/<repo>.git, branch: main }\n';
  return `# dynenv.yaml of ${options.app}, written by \`dynenv init\`. Edit it, then run \`dynenv synth\` (writes gitops/) and
# \`dynenv validate\` (checks gitops/). Every field is described in dynenv.schema.json (\`dynenv schema --out dynenv.schema.json\`).
app: ${options.app}

${repository}
services:
  - name: web
    # An image this repository builds: with a tag, every environment runs that tag until \`dynenv promote\` pins a
    # digest there (\`dynenv validate\` warns about staging and prod until it does). Without a tag, dev follows
    # environments.dev.imageTag and staging/prod need a digest from the start.
    image: ghcr.io/example/${options.app}-web:0.1.0
    builtHere: true
    # One HTTP port: the container listens on 8080, the Service "web" exposes it as "http" on port 80.
    port: 8080
    # Readiness, liveness and startup probes on that port. For gRPC, TCP or exec checks, use probes:
    #   probes: { readiness: { grpc: { port: grpc } }, liveness: { grpc: { port: grpc }, periodSeconds: 20 } }
    healthPath: /healthz
    env:
      LOG_FORMAT: json
      # A value from a Secret of the namespace (dynenv never writes Secrets into Git):
      # DATABASE_PASSWORD: { secretKeyRef: { name: web-database, key: password } }
    # More than one port (the Service exposes each; callers address "<service>:<port>"):
    # ports:
    #   - { name: http, containerPort: 8080, port: 80 }
    #   - { name: grpc, containerPort: 9090, appProtocol: grpc }
    # Volumes: emptyDir, configMap, secret, files of this repository, or persistent (kind: StatefulSet):
    # volumes:
    #   - { name: cache, mountPath: /var/cache/web, emptyDir: { sizeLimit: 1Gi } }
    # What dynenv.yaml has no field for: a strategic merge patch on the service's workload (the escape hatch):
    # patches:
    #   - patch: { spec: { template: { spec: { dnsPolicy: ClusterFirstWithHostNet } } } }
  # A StatefulSet with a volume per pod, or a CronJob:
  # - name: cache
  #   kind: StatefulSet
  #   image: redis:7.4-alpine
  #   ports: [{ name: redis, containerPort: 6379 }]
  #   probes: { readiness: { tcp: { port: redis } } }
  #   volumes: [{ name: data, mountPath: /data, persistent: { size: 1Gi } }]
  # - name: nightly-report
  #   kind: CronJob
  #   schedule: "0 3 * * *"
  #   image: ghcr.io/example/${options.app}-web:0.1.0
  #   builtHere: true
  #   command: [/app/report]

# dev, staging, prod and preview; each may override replicas, env, resources and more per service.
environments:
  dev:
    env: { LOG_LEVEL: debug }
    # host: ${options.app}.dev.example.com    # an Ingress for services with ingress: true
  staging:
    replicas: 2
  prod:
    replicas: 2
  preview:
    replicas: 1

# Every open pull request gets its own environment from gitops/overlays/preview:
# preview:
#   host: pr-{{number}}.preview.example.com
`;
}
