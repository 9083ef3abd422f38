import { describe, expect, it } from 'vitest';
import { createClock } from '../../workers/clock';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("the worker's clock", () => {
  it('runs each piece of work at its instant, one timer for all the work due at the same instant', async () => {
    const clock = createClock(Date.now, (err) => {
      throw err;
    });
    const ran: { name: string; at: number }[] = [];
    const due = Date.now() + 60;
    for (let i = 0; i < 1000; i++) clock.at(due, async () => void ran.push({ name: `room ${i}`, at: Date.now() }));
    clock.at(due + 40, async () => void ran.push({ name: 'later', at: Date.now() }));

    expect(clock.pending).toBe(1001);
    await sleep(30);
    expect(ran).toEqual([]);
    await sleep(120);

    expect(ran).toHaveLength(1001);
    expect(ran.at(-1)?.name).toBe('later');
    for (const r of ran.slice(0, 1000)) expect(r.at).toBeGreaterThanOrEqual(due);
    expect(clock.pending).toBe(0);
  });

  it('runs work whose instant has passed at once, and hands its failure to the error handler', async () => {
    const errors: unknown[] = [];
    const clock = createClock(Date.now, (err) => errors.push(err));
    let ran = false;
    clock.at(Date.now() - 500, async () => {
      ran = true;
      throw new Error('redis said no');
    });
    await sleep(10);

    expect(ran).toBe(true);
    expect(errors).toEqual([new Error('redis said no')]);
  });

  it('runs nothing once stopped', async () => {
    const clock = createClock(Date.now, () => undefined);
    let ran = false;
    clock.at(Date.now() + 20, async () => {
      ran = true;
    });
    clock.stop();
    await sleep(50);

    expect(ran).toBe(false);
    expect(clock.pending).toBe(0);
  });
});
