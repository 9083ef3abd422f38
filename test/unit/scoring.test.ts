import { describe, expect, it } from 'vitest';
import { STREAK_CAP, speedPoints, streakBonus, countedMs } from '../../src/game/scoring/scoring';

describe('speed scoring', () => {
  describe('when a correct answer arrives', () => {
    it.each([
      [0, 1000],
      [2500, 875],
      [5000, 750],
      [7500, 625],
      [10_000, 500],
    ])('after %i ms of a 10 s question it earns %i of 1000 points', (elapsedMs, points) => {
      expect(speedPoints(1000, elapsedMs, 10_000)).toBe(points);
    });

    it('rounds to the nearest point', () => {
      // 1000 × (1 − 1234 / 6000 / 2) = 897.17
      expect(speedPoints(1000, 1234, 6000)).toBe(897);
      // 1000 × (1 − 4321 / 6000 / 2) = 639.92
      expect(speedPoints(1000, 4321, 6000)).toBe(640);
    });

    it('never earns less than half, nor more than all, whatever the measured time', () => {
      expect(speedPoints(1000, 60_000, 10_000)).toBe(500);
      expect(speedPoints(1000, -300, 10_000)).toBe(1000);
    });

    it('scales with the points per question', () => {
      expect(speedPoints(2000, 5000, 10_000)).toBe(1500);
      expect(speedPoints(0, 1000, 10_000)).toBe(0);
    });
  });
});

describe('streak bonus', () => {
  it('gives nothing for the first correct answer in a row', () => {
    expect(streakBonus(0)).toBe(0);
    expect(streakBonus(1)).toBe(0);
  });

  it('adds 100 for each further correct answer in a row', () => {
    expect([2, 3, 4, 5].map(streakBonus)).toEqual([100, 200, 300, 400]);
  });

  it('stops growing at the cap', () => {
    expect(STREAK_CAP).toBe(500);
    expect([6, 7, 50].map(streakBonus)).toEqual([500, 500, 500]);
  });
});

describe('the time that counts, with the latency allowance', () => {
  it('credits half the measured round trip when the client reports nothing, up to the cap', () => {
    expect(countedMs({ serverMs: 2000, rttMs: 100, loopBusyMs: 0, reportedMs: null, capMs: 150 })).toBe(1950);
    expect(countedMs({ serverMs: 2000, rttMs: 1000, loopBusyMs: 0, reportedMs: null, capMs: 150 })).toBe(1850);
  });

  it('takes a reported reaction time only within [server time − min(round trip, cap), server time]', () => {
    expect(countedMs({ serverMs: 2000, rttMs: 120, loopBusyMs: 0, reportedMs: 1900, capMs: 150 })).toBe(1900);
    expect(countedMs({ serverMs: 2000, rttMs: 120, loopBusyMs: 0, reportedMs: 0, capMs: 150 })).toBe(1880);
    expect(countedMs({ serverMs: 2000, rttMs: 900, loopBusyMs: 0, reportedMs: 0, capMs: 150 })).toBe(1850);
    expect(countedMs({ serverMs: 2000, rttMs: 120, loopBusyMs: 0, reportedMs: 5000, capMs: 150 })).toBe(2000);
  });

  it("widens the window by the time the server's loop was busy before reading the answer, still within the cap", () => {
    // An honest report behind 60 ms of the server's own backlog is taken whole.
    expect(countedMs({ serverMs: 2000, rttMs: 2, loopBusyMs: 60, reportedMs: 1940, capMs: 150 })).toBe(1940);
    // A report of 0 gains at most round trip + busy, and never more than the cap.
    expect(countedMs({ serverMs: 2000, rttMs: 2, loopBusyMs: 60, reportedMs: 0, capMs: 150 })).toBe(1938);
    expect(countedMs({ serverMs: 2000, rttMs: 2, loopBusyMs: 900, reportedMs: 0, capMs: 150 })).toBe(1850);
    expect(countedMs({ serverMs: 2000, rttMs: 2, loopBusyMs: 900, reportedMs: 0, capMs: 0 })).toBe(2000);
    // Without a report the busy time is not credited: nobody knows how much of it the answer waited.
    expect(countedMs({ serverMs: 2000, rttMs: 100, loopBusyMs: 60, reportedMs: null, capMs: 150 })).toBe(1950);
  });

  it('gives nothing without a measured round trip, or with the cap at 0', () => {
    expect(countedMs({ serverMs: 2000, rttMs: null, loopBusyMs: 0, reportedMs: 0, capMs: 150 })).toBe(2000);
    expect(countedMs({ serverMs: 2000, rttMs: 300, loopBusyMs: 0, reportedMs: 0, capMs: 0 })).toBe(2000);
    expect(countedMs({ serverMs: 40, rttMs: 300, loopBusyMs: 0, reportedMs: null, capMs: 150 })).toBe(0);
  });
});
