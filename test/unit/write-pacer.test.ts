import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createWritePacer } from '../../src/socket/write-pacer';

describe('the write pacer', () => {
  it('runs at most its number of writes in one turn and the rest in the turns after, in order', async () => {
    const pacer = createWritePacer(2);
    const done: number[] = [];

    for (const n of [1, 2, 3, 4, 5]) pacer.write(() => done.push(n));
    // This turn ends at its check phase, which has no room left; each turn after it has room for 2.
    const seen: number[][] = [[...done]];
    for (const _ of [1, 2, 3]) {
      await nextTurn();
      seen.push([...done]);
    }

    expect(seen).toEqual([
      [1, 2],
      [1, 2],
      [1, 2, 3, 4],
      [1, 2, 3, 4, 5],
    ]);
  });

  it('gives each new turn its full number again', async () => {
    const pacer = createWritePacer(2);
    const done: number[] = [];
    pacer.write(() => done.push(1));
    pacer.write(() => done.push(2));
    await nextTurn();
    await nextTurn();

    pacer.write(() => done.push(3));
    pacer.write(() => done.push(4));

    expect(done).toEqual([1, 2, 3, 4]);
  });
});
