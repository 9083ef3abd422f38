import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

describe('the typed client entry (quizloop/client)', () => {
  it('type-checks a tiny Socket.IO client, and refuses its deliberate misuses', async () => {
    expect(existsSync(path.join(root, 'dist/src/client.d.ts')), 'dist/src/client.d.ts: run npm run build first').toBe(true);

    const run = promisify(execFile)(process.execPath, [tsc, '-p', path.join(root, 'test/client-types/tsconfig.json')], { cwd: root });
    const output = await run.then(
      ({ stdout }) => stdout,
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );

    // An unused @ts-expect-error (a misuse the types let through, such as an `unknown` payload) fails here too.
    expect(output).toBe('');
  }, 60_000);
});
