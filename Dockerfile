# llmux serve as a container: one gateway replica. docker-compose.yml runs two on PostgreSQL and
# Redis; docs/replicas.md says how to run them behind a load balancer.
#
#   docker build -t llmux .
#   docker run -e OPENAI_API_KEY=... -v llmux:/data -p 4000:4000 llmux

# Build: dev dependencies, TypeScript, the web UI.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: the package's own `prepare` would build before the sources are here. Native modules
# (better-sqlite3) still need theirs: rebuilt just after.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: production dependencies and dist/ only; no compiler, no build tools; not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LLMUX_HOME=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/dist/cli/main.js /usr/local/bin/llmux \
    && mkdir -p /data && chown node:node /data
USER node
# Config, the SQLite store (when no LLMUX_DATABASE_URL), local models, the summary cache.
VOLUME /data
EXPOSE 4000
# Load balancers and orchestrators ask /healthz (open, no key needed).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop, a rolling update) drains requests in flight and writes the usage rows.
CMD ["llmux", "serve", "--host", "0.0.0.0"]
