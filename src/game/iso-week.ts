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

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
export const ISO_WEEK_PATTERN = '^\\d{4}-W\\d{2}$';

/** Monday 00:00 UTC of ISO week 1 of an ISO year: the Monday on or before January 4th. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

function make(year: number, week: number): IsoWeek {
  const startsAt = week1Monday(year) + (week - 1) * WEEK_MS;
  return { id: `${year}-W${String(week).padStart(2, '0')}`, year, week, startsAt, endsAt: startsAt + WEEK_MS };
}

/** The ISO week holding an instant. */
export function isoWeekOf(epochMs: number): IsoWeek {
  const day = Math.floor(epochMs / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  // The Thursday of this week decides the ISO year.
  const year = new Date(day + (3 - weekday) * DAY_MS).getUTCFullYear();
  const week = Math.floor((day - week1Monday(year)) / WEEK_MS) + 1;
  return make(year, week);
}

/** Parses `YYYY-Www`; null when malformed or when the year has no such week (most years have 52, some 53). */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksIn(year)) return null;
  return make(year, week);
}

/** 53 when December 28th (always in the year's last week) falls in week 53. */
export function weeksIn(year: number): number {
  return isoWeekOf(Date.UTC(year, 11, 28)).week;
}
