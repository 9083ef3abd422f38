import { UTCDate, utc } from '@date-fns/utc';
import { addWeeks, format, getISOWeek, getISOWeekYear, getISOWeeksInYear, isValid, parse, startOfISOWeek } from 'date-fns';

/** An ISO 8601 week in UTC: weeks start on Monday, and week 1 is the week holding the year's first Thursday. */
export interface IsoWeek {
  /** `YYYY-Www`, e.g. `2026-W05`; the ISO week-numbering year, which differs from the calendar year around New Year. */
  id: string;
  year: number;
  week: number;
  /** Monday 00:00 UTC, epoch ms. */
  startsAt: number;
  /** The next Monday 00:00 UTC, epoch ms (exclusive). */
  endsAt: number;
}

export const ISO_WEEK_PATTERN = '^\\d{4}-W\\d{2}$';
/** date-fns tokens: ISO week-numbering year, a literal W, ISO week with two digits. */
const ID_FORMAT = "RRRR-'W'II";

/** The ISO week holding an instant. */
export function isoWeekOf(epochMs: number): IsoWeek {
  const start = startOfISOWeek(epochMs, { in: utc });
  return {
    id: format(start, ID_FORMAT),
    year: getISOWeekYear(start),
    week: getISOWeek(start),
    startsAt: start.getTime(),
    endsAt: addWeeks(start, 1).getTime(),
  };
}

/** Parses `YYYY-Www`; null when malformed or when the year has no such week (most years have 52, some 53). */
export function parseIsoWeek(text: string): IsoWeek | null {
  const start = parse(text, ID_FORMAT, new UTCDate(0), { in: utc });
  if (!isValid(start)) return null;
  // date-fns rolls a week 53 the year lacks over into the next year; only a week written back the same is one.
  const week = isoWeekOf(start.getTime());
  return week.id === text ? week : null;
}

export function weeksIn(year: number): number {
  return getISOWeeksInYear(new UTCDate(year, 5, 1));
}
