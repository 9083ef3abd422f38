import 'vitest';

declare module 'vitest' {
  /** What the global setup hands every test file (see test/setup/global-setup.ts). */
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
    /** The repository root, where `dist/src/main.js` lives. */
    repoRoot: string;
    /** One line per service saying where it came from, for diagnostics. */
    infra: string;
    /** A redis-server binary for tests that start one of their own; null when none could be had. */
    redisServer: { path: string; env: Record<string, string> } | null;
  }
}
