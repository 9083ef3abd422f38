/**
 * Import rules of DESIGN.md's layout: api, socket and workers -> store -> game -> shared,
 * with platform beside store; the three entry folders never import each other; no cycles.
 * Run: npm run lint:deps
 */
const ENTRIES = { api: '^src/api/', socket: '^src/socket/', workers: '^workers/' };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...Object.entries(ENTRIES).map(([name, path]) => ({
      name: `${name}-apart`,
      comment: 'The entry folders (api, socket, workers) never import each other.',
      severity: 'error',
      from: { path },
      to: { path: Object.values(ENTRIES).filter((p) => p !== path) },
    })),
    {
      name: 'store-below-entries',
      severity: 'error',
      from: { path: '^src/(store|platform)/' },
      to: { path: Object.values(ENTRIES) },
    },
    {
      name: 'platform-beside-store',
      comment: 'store may use platform (clients, metrics); platform never uses store.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'game-is-pure',
      comment: 'game rules and domain types import only shared.',
      severity: 'error',
      from: { path: '^src/game/' },
      to: { path: '^(src/(api|socket|store|platform|local|bots)|workers)/' },
    },
    {
      name: 'shared-imports-shared',
      comment: 'shared holds what crosses processes and depends on nothing else of ours.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|workers)/', pathNot: '^src/shared/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
