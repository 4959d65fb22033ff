# The service (API and dashboard on one port) for an operated installation.
#   docker build -f docker/api.Dockerfile -t dora .      (from the repository root)
# Or the whole thing with its PostgreSQL: docker compose -f docker/compose.yaml up -d

FROM node:20-slim AS build
WORKDIR /app
# The manifests first, so that the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/dashboard/package.json apps/dashboard/
COPY apps/dashboard-e2e/package.json apps/dashboard-e2e/
COPY apps/reporter/package.json apps/reporter/
COPY libs/dora/package.json libs/dora/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=api,dashboard,dora \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DORA_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/libs/dora/package.json libs/dora/
COPY --from=build /app/libs/dora/dist libs/dora/dist
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/dashboard/dist apps/dashboard/dist
COPY --from=build /app/apps/reporter/dora-report.mjs apps/reporter/
COPY docker/start.sh docker/healthcheck.mjs docker/
# Only for trying the image without DATABASE_URL: the embedded database's directory.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "docker/healthcheck.mjs"]
STOPSIGNAL SIGTERM
CMD ["docker/start.sh"]
