# syntax=docker/dockerfile:1
# The dynenv image: the plugin server (`serve`, the default command) and the preview database-credentials Job
# (`create-database-secret`). It runs the JavaScript built (compiled and bundled) in the build stage: no TypeScript
# compiler, no sources and no dev dependencies in the image, only bin/, dist/cli, package.json and the production
# dependencies.
#
#   docker build -t ghcr.io/<org>/dynenv:<version> .
#
# then set argocd.plugin.image in dynenv.yaml to that reference (better: to its digest).

ARG NODE_MAJOR=20

# Stage 1: every dependency exactly as the lock file says, the build, then the dev dependencies removed.
# No install scripts run: the build is `npm run build` below, and no dependency of the image needs one.
FROM docker.io/library/node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# .dockerignore admits only package.json, package-lock.json, the tsconfig files, bin/, tools/, contract/, src/ and plugin-server/.
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Stage 2: distroless Node.js (same Debian as stage 1, so native binaries match): no shell, no package manager,
# and the "nonroot" user (65532), which the Deployment and the Job also set, so that runAsNonRoot can verify it.
FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/package.json ./
COPY --from=build --chown=0:0 /app/bin/dynenv.js ./bin/
# The bundled command (dist/cli) is all the entry point runs; the per-module build beside it is the programmatic API.
COPY --from=build --chown=0:0 /app/dist/cli ./dist/cli
USER 65532:65532
EXPOSE 4355
ENTRYPOINT ["/nodejs/bin/node", "bin/dynenv.js"]
CMD ["serve"]
