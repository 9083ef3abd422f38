import { describe, expect, it } from 'vitest';
import { isoWeekOf, parseIsoWeek, weeksIn } from '../../src/game/iso-week';

const at = (iso: string) => Date.parse(iso);

describe('ISO weeks in UTC', () => {
  it('starts a week on Monday 00:00 UTC and ends it before the next Monday', () => {
    const week = isoWeekOf(at('2026-11-25T15:00:00Z'));

    expect(week.id).toBe('2026-W48');
    expect(new Date(week.startsAt).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(week.endsAt).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(isoWeekOf(at('2026-11-29T23:59:59.999Z')).id).toBe('2026-W48');
    expect(isoWeekOf(at('2026-11-30T00:00:00Z')).id).toBe('2026-W49');
  });

  it('puts the days around New Year in the ISO year of their Thursday', () => {
    expect(isoWeekOf(at('2021-01-03T12:00:00Z')).id).toBe('2020-W53');
    expect(isoWeekOf(at('2024-12-30T00:00:00Z')).id).toBe('2025-W01');
    expect(isoWeekOf(at('2027-01-01T00:00:00Z')).id).toBe('2026-W53');
    expect(isoWeekOf(at('2023-01-01T23:00:00Z')).id).toBe('2022-W52');
  });

  it('knows which years have 53 weeks', () => {
    expect([2015, 2020, 2026, 2032].map(weeksIn)).toEqual([53, 53, 53, 53]);
    expect([2021, 2022, 2024, 2025].map(weeksIn)).toEqual([52, 52, 52, 52]);
  });

  it('parses a week id back to the same week, and refuses what is not one', () => {
    for (const ms of [at('2020-12-31T00:00:00Z'), at('2026-06-15T08:00:00Z'), at('2025-01-01T00:00:00Z')]) {
      const week = isoWeekOf(ms);
      expect(parseIsoWeek(week.id)).toEqual(week);
    }
    for (const bad of ['2026-W00', '2025-W53', '2026-W54', '2026-48', '2026-w48', '26-W48', '2026-W4']) expect(parseIsoWeek(bad), bad).toBeNull();
    expect(parseIsoWeek('2026-W53')?.id).toBe('2026-W53');
  });
});
