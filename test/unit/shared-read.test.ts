import { describe, expect, it } from 'vitest';
import { sharedRead } from '../../src/socket/shared-read';

function countingRead() {
  const reads: string[] = [];
  const read = async (key: string) => {
    reads.push(key);
    return { key, n: reads.length };
  };
  return { reads, read: sharedRead(read) };
}

describe('a read shared among the callers of one run of callbacks', () => {
  it('reads a key once for every caller asking for it together, and gives them one result', async () => {
    const { reads, read } = countingRead();
    const [a, b, c] = await Promise.all([read('room-1'), read('room-1'), read('room-2')]);
    expect(reads).toEqual(['room-1', 'room-2']);
    expect(a).toBe(b);
    expect(c).toEqual({ key: 'room-2', n: 2 });
  });

  it('shares with callers that ask from promise reactions of the same run', async () => {
    const { reads, read } = countingRead();
    const first = read('room-1');
    const second = Promise.resolve().then(() => read('room-1'));
    expect(await second).toBe(await first);
    expect(reads).toEqual(['room-1']);
  });

  it('reads again for a caller that asks once that run is over', async () => {
    const { reads, read } = countingRead();
    const first = await read('room-1');
    await new Promise((resolve) => setImmediate(resolve));
    const later = await read('room-1');
    expect(reads).toEqual(['room-1', 'room-1']);
    expect(later).not.toBe(first);
  });
});
