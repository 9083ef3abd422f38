# One image for every role; the command picks it (api | worker | socket | migrate).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json knexfile.ts ./
COPY scripts ./scripts
COPY src ./src
COPY workers ./workers
COPY migrations ./migrations
# Dev dependencies go: TypeScript, the test tools, the `node` package and embedded PostgreSQL (local use only).
RUN npm run build && npm prune --omit=dev && rm -f dist/.tsbuildinfo

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/healthcheck.cjs ./scripts/
COPY web ./web
COPY package.json ./
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.cjs"]
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["api"]
