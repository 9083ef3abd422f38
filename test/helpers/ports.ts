import getPort from 'get-port';

/**
 * Ports for the processes a test starts. Each vitest worker hands out ports from a block of its own,
 * below the kernel's ephemeral range (32768 and up on Linux), one after the other: a port the kernel
 * gives an outgoing connection, or another worker's test, is never one of ours, and a port a test
 * frees while it restarts a process is not handed to another of its tests in the meantime.
 */
const FIRST = 20_000;
const BLOCK = 2_000;
const WORKERS = 6;
const pool = (Number(process.env.VITEST_POOL_ID ?? '1') - 1) % WORKERS;
let next = 0;

/** The next free port of this worker's block (free by get-port's check on every local address). */
export async function testPort(): Promise<number> {
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = FIRST + pool * BLOCK + (next++ % BLOCK);
    if ((await getPort({ port })) === port) return port;
  }
  throw new Error(`no free port in ${FIRST + pool * BLOCK}–${FIRST + (pool + 1) * BLOCK - 1}`);
}
