import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { infra } from '../helpers/infra';

describe('the embedded PostgreSQL module, once loaded', () => {
  it('leaves the exit code of its process alone, so a failed test run still exits non-zero', () => {
    const module = path.join(infra().repoRoot, 'dist/src/local/local-postgres.js');
    const script = `require(${JSON.stringify(module)}).importWithoutSignalHooks().then(() => { process.exitCode = 3; });`;

    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });

    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});
