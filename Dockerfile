# syntax=docker/dockerfile:1
# The dynenv image: the plugin server (`serve`, the default command) and the preview database-credentials Job
# (`create-database-secret`). The TypeScript sources run through tsx, a production dependency, so there is no
# build step: the image holds the sources, package.json and the production dependencies, nothing else.
#
#   docker build -t ghcr.io/<org>/dynenv:<version> .
#
# then set argocd.plugin.image in dynenv.yaml to that reference (better: to its digest).

ARG NODE_MAJOR=20

# Stage 1: production dependencies only, installed exactly as the lock file says. No install scripts run:
# esbuild (tsx) ships its binary as an optional dependency and needs none.
FROM docker.io/library/node:${NODE_MAJOR}-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Stage 2: distroless Node.js (same Debian as stage 1, so native binaries match): no shell, no package manager,
# and the "nonroot" user (65532), which the Deployment and the Job also set, so that runAsNonRoot can verify it.
FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/node_modules ./node_modules
# .dockerignore admits only package.json, tsconfig.json, bin/, contract/, src/ and plugin-server/.
COPY --chown=0:0 . .
USER 65532:65532
EXPOSE 4355
ENTRYPOINT ["/nodejs/bin/node", "bin/dynenv.js"]
CMD ["serve"]
