# syntax=docker/dockerfile:1
# The production image: `docker build -t batchdata-search-sessions .`
# Three stages: build (all dependencies, compile the TypeScript and the docs page), deps (the
# runtime dependencies alone, `npm ci --omit=dev`; better-sqlite3 compiles its native module here,
# so the compilers stay out of the final image), and the runtime image (non-root, node as PID 1).
# test/deploy/container-steps.test.ts performs this file's steps in a temp dir on every `npm test`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_URL=sqlite:/app/data/batchdata.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/openapi.yaml ./openapi.yaml
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/generated ./dist/generated
COPY --from=build /app/dist/docs ./dist/docs
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (no npm, no shell): SIGTERM from `docker stop` reaches the server, which
# stops accepting, finishes in-flight requests and writes out its log before it exits.
CMD ["node", "dist/server/main.js"]
