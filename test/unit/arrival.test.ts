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

  it('tells each turn how long the loop has been busy since it last sat idle, at most', async () => {
    let t = 1000;
    let idle = 0;
    const arrivals = createArrivalClock(
      () => t,
      () => idle,
    );
    expect(arrivals.busyBeforeMs()).toBe(0);

    // 100 ms pass, 30 of them idle: a message read now waited at most the other 70.
    t += 100;
    idle += 30;
    await nextTurn();
    expect(arrivals.stamp()).toBe(1100);
    expect(arrivals.busyBeforeMs()).toBe(70);

    // Later reads in the same turn share its figure.
    t += 5;
    expect(arrivals.busyBeforeMs()).toBe(70);

    // No idle since: the loop may have been busy all along, so the whole gap since that turn (55 ms) adds to it.
    t += 50;
    await nextTurn();
    expect(arrivals.busyBeforeMs()).toBe(70 + 55);

    // After a wholly idle stretch, nothing.
    t += 400;
    idle += 405;
    await nextTurn();
    expect(arrivals.busyBeforeMs()).toBe(0);
  });
});
