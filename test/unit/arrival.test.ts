import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createArrivalClock } from '../../src/socket/arrival';

describe('the arrival stamp', () => {
  it('gives every message read in one turn of the event loop the time of its first read', () => {
    let t = 1000;
    const arrivals = createArrivalClock(() => t);

    const first = arrivals.stamp();
    t += 40;
    const later = arrivals.stamp();

    expect([first, later]).toEqual([1000, 1000]);
  });

  it('starts a new stamp in the next turn', async () => {
    let t = 1000;
    const arrivals = createArrivalClock(() => t);
    arrivals.stamp();

    t += 25;
    await nextTurn();

    expect(arrivals.stamp()).toBe(1025);
  });
});
