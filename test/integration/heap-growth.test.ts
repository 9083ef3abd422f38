import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface HeapReading {
  committedMB: number;
  liveMB: number;
}

/**
 * One join burst in a process of its own, old space as large as V8 allows a socket process on a big machine
 * and a small young generation, so that what survives a few young collections is promoted, as in a real burst.
 */
async function joinBurst(growingPercent: number): Promise<HeapReading> {
  const args = ['--max-old-space-size=4096', '--max-semi-space-size=1', '--expose-gc', '--import', 'tsx'];
  const { stdout } = await run(process.execPath, [...args, 'test/helpers/join-burst-heap.ts', String(growingPercent)]);
  return JSON.parse(stdout) as HeapReading;
}

describe("a socket process's heap after a join burst (SOCKET_HEAP_GROWING_PERCENT)", () => {
  it('keeps the old space within about twice what is live, where V8 left alone keeps clearly more', async () => {
    const limited = await joinBurst(100);
    const own = await joinBurst(0);
    // Both hold the same live objects: the setting changes how much dead space is kept, not what lives.
    expect(Math.abs(limited.liveMB - own.liveMB)).toBeLessThan(own.liveMB * 0.05);
    expect(limited.committedMB).toBeLessThan(limited.liveMB * 1.75);
    expect(own.committedMB).toBeGreaterThan(limited.committedMB * 1.1);
  }, 60_000);
});
