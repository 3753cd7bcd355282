import type { Outcome } from './case-status.js';
import type { Elapsed } from './time.js';

/**
 * The rules of the group's statistics, as plain values: which closes count as a subject
 * brought back, how open cases are bucketed by time at large, and how a median of days reads.
 *
 * Every figure is counted by when its fact happened, in the group's zone: a close by the year
 * of its close date, money by the year of the entry's own date, an opening by its opening day.
 */

/**
 * Closes whose subject came back (the results a group reports upward): the median time at
 * large counts these only. A case withdrawn after two days, or closed because the subject
 * died abroad, says nothing about how long it takes to bring someone back.
 */
export const CAME_BACK: readonly Outcome[] = ['returned', 'surrendered'];

/** Open cases by whole years at large: under 1, 1 to under 2, 2 to under 5, 5 to under 10, 10 and more. */
export const YEARS_AT_LARGE = ['lt1', 'y1to2', 'y2to5', 'y5to10', 'y10plus'] as const;
export type YearsAtLarge = (typeof YEARS_AT_LARGE)[number];

/** The bucket of a case at large for `years` whole years (a date in the future counts as under 1). */
export function yearsAtLargeBucket(years: number): YearsAtLarge {
  if (years < 1) return 'lt1';
  if (years < 2) return 'y1to2';
  if (years < 5) return 'y2to5';
  if (years < 10) return 'y5to10';
  return 'y10plus';
}

const DAYS_PER_YEAR = 365.2425;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

/**
 * A median of days as people read a time at large: days under two months, then whole years
 * and months, cut as the case card cuts a span (16 years 3 months 21 days reads 16 years
 * 3 months). A median has no start date, so calendar arithmetic does not apply; the average
 * year and month are close enough for a figure read in months.
 */
export function daysAsElapsed(days: number): Elapsed {
  if (days < 2 * DAYS_PER_MONTH) return { years: 0, months: 0, days: Math.floor(days) };
  const months = Math.floor(days / DAYS_PER_MONTH);
  return { years: Math.floor(months / 12), months: months % 12, days: 0 };
}

/** A year typed after `/docket stats`: four digits (full-width too, and 2021年), within the years a ledger can hold. */
export function parseStatsYear(word: string): number | undefined {
  const m = /^(\d{4})年?$/u.exec(word.normalize('NFKC'));
  if (!m) return undefined;
  const year = Number(m[1]);
  return year >= 1900 && year <= 2999 ? year : undefined;
}
