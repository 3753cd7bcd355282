import type { Executor } from '../db/database.js';
import {
  closuresByYear,
  foundByRegion,
  medianAtLarge,
  moneyByYear,
  openAt,
  openByUnit,
  openByWholeYearsAtLarge,
  openCount,
  openedByYear,
  type ClosureCount,
  type MedianAtLarge,
  type MoneyYearTotal,
  type RegionCount,
  type UnitCount,
  type YearCount,
} from '../db/stats.repo.js';
import { OUTCOMES } from '../domain/case-status.js';
import { CAME_BACK, YEARS_AT_LARGE, yearsAtLargeBucket, type YearsAtLarge } from '../domain/stats.js';
import { todayIn } from '../domain/time.js';

/**
 * A group's statistics: `/docket stats` shows them, the weekly digest reads the same
 * functions. Nothing here knows Slack or the reader's language: the figures are plain values
 * (money as exact decimal strings per currency), rendered by src/slack/blocks/stats.ts.
 * The group is given by id and zone: the caller has checked who may read it.
 */

export type { ClosureCount, MedianAtLarge, MoneyYearTotal, RegionCount, UnitCount, YearCount };
export { closuresByYear, foundByRegion, moneyByYear, openByUnit, openedByYear };

export interface StatsGroup {
  id: number;
  /** The group's IANA zone: years and days are read in it. */
  time_zone: string;
}

/** Median time at large of the subjects who came back (returned, surrendered), per year of the close; year null: all years. */
export function medianAtLargeDays(db: Executor, group: StatsGroup): Promise<MedianAtLarge[]> {
  return medianAtLarge(db, group.id, group.time_zone, CAME_BACK);
}

export interface OpenNow {
  /** Open cases now (anything not closed); the target is zero. */
  open: number;
  cases: number;
  firstOpenedOn: string | null;
  /** Open at `since`, when asked: `open - openAtSince` is the change since then. */
  openAtSince: number | null;
}

/** Open cases now, and (given `since`) at that instant, so a digest can say "−2 since last week". */
export async function openNow(db: Executor, group: StatsGroup, since: Date | null = null): Promise<OpenNow> {
  const [now, then] = await Promise.all([openCount(db, group.id), since ? openAt(db, group.id, group.time_zone, since) : null]);
  return { ...now, openAtSince: then };
}

/** Open cases by years at large on `now`'s day in the group's zone, every bucket present (zeros included), shortest first. */
export async function openByYearsAtLarge(db: Executor, group: StatsGroup, now: Date): Promise<{ bucket: YearsAtLarge; count: number }[]> {
  const rows = await openByWholeYearsAtLarge(db, group.id, todayIn(group.time_zone, now));
  const counts = new Map<YearsAtLarge, number>(YEARS_AT_LARGE.map((b) => [b, 0]));
  for (const r of rows) {
    const b = yearsAtLargeBucket(r.years);
    counts.set(b, counts.get(b)! + r.count);
  }
  return YEARS_AT_LARGE.map((bucket) => ({ bucket, count: counts.get(bucket)! }));
}

/** One year's figures (or, with `year: null`, every year's together). */
export interface YearFigures {
  year: number | null;
  opened: number;
  /** By outcome, in the order of OUTCOMES (returned first). */
  closed: { outcome: ClosureCount['outcome']; count: number }[];
  found: { region: string | null; count: number }[];
  money: { kind: MoneyYearTotal['kind']; currency: string; total: string; entries: number }[];
  medianAtLarge: { days: number; cases: number } | null;
}

export interface GroupStats {
  /** Years with anything to count (an opening, a close, money), oldest first. */
  years: YearFigures[];
  /** Every year together: the total since the first case. */
  total: YearFigures;
  open: OpenNow;
  openByUnit: UnitCount[];
  openByYearsAtLarge: { bucket: YearsAtLarge; count: number }[];
}

/** Everything `/docket stats` shows, read in parallel: one aggregate query per measure. */
export async function groupStats(db: Executor, group: StatsGroup, now: Date): Promise<GroupStats> {
  const [opened, closures, found, money, medians, open, units, atLarge] = await Promise.all([
    openedByYear(db, group.id),
    closuresByYear(db, group.id, group.time_zone),
    foundByRegion(db, group.id, group.time_zone),
    moneyByYear(db, group.id),
    medianAtLargeDays(db, group),
    openNow(db, group),
    openByUnit(db, group.id),
    openByYearsAtLarge(db, group, now),
  ]);
  const figures = (year: number | null): YearFigures => {
    const median = medians.find((x) => x.year === year);
    return {
      year,
      opened: opened.find((x) => x.year === year)?.count ?? 0,
      closed: closures.filter((x) => x.year === year).map(({ outcome, count }) => ({ outcome, count })).sort((a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome)),
      found: found.filter((x) => x.year === year).map(({ region, count }) => ({ region, count })),
      money: money.filter((x) => x.year === year).map(({ kind, currency, total, entries }) => ({ kind, currency, total, entries })),
      medianAtLarge: median ? { days: median.medianDays, cases: median.cases } : null,
    };
  };
  const years = new Set<number>();
  for (const rows of [opened, closures, money]) for (const r of rows) if (r.year !== null) years.add(r.year);
  return {
    years: [...years].sort((a, b) => a - b).map(figures),
    total: figures(null),
    open,
    openByUnit: units,
    openByYearsAtLarge: atLarge,
  };
}

/** The figures of one year (all zeros and empty lists when nothing happened in it). */
export function yearOf(stats: GroupStats, year: number): YearFigures {
  return stats.years.find((y) => y.year === year) ?? { year, opened: 0, closed: [], found: [], money: [], medianAtLarge: null };
}
