import { sql } from 'kysely';
import type { Outcome } from '../domain/case-status.js';
import type { MoneyKind } from '../domain/money.js';
import type { Executor } from './database.js';

/**
 * A group's figures, each aggregated by Postgres in one query over that group's rows only
 * (`cases_group_status_idx`, `money_case_idx`, `audit_case_close_idx`). Per-year rows carry the
 * year; the row with `year: null` is every year together (a GROUPING SETS total, so sums of
 * money and medians are Postgres's own, never added up in JavaScript). Years are the years of
 * the facts (a close, money's own date, an opening) in the group's time zone `zone`.
 */

export interface YearCount {
  /** null: every year together. */
  year: number | null;
  count: number;
}

export interface ClosureCount extends YearCount {
  outcome: Outcome;
}

export interface RegionCount extends YearCount {
  /** As the group spells it (see spelledAsBefore); null: closed without a place recorded. */
  region: string | null;
}

export interface MoneyYearTotal {
  year: number | null;
  kind: MoneyKind;
  currency: string;
  /** Exact decimal string summed by Postgres, corrections included. */
  total: string;
  entries: number;
}

export interface MedianAtLarge {
  year: number | null;
  /** Median days at large of the cases counted (Postgres percentile_cont: halves possible). */
  medianDays: number;
  /** How many cases it is the median of. */
  cases: number;
}

const closeYear = (zone: string) => sql<number>`extract(year from closed_at at time zone ${zone})::int`;

/** Cases closed per year of their close date, by outcome. */
export async function closuresByYear(db: Executor, groupId: number, zone: string): Promise<ClosureCount[]> {
  const r = await sql<{ year: number | null; outcome: Outcome; count: number }>`
    select year, outcome, count(*)::int as count
    from (select ${closeYear(zone)} as year, outcome from cases where group_id = ${groupId} and status = 'closed') c
    group by grouping sets ((year, outcome), (outcome))
    order by year nulls last, outcome`.execute(db);
  return r.rows;
}

/** Cases closed per year of their close date, by the region where the subject was found. */
export async function foundByRegion(db: Executor, groupId: number, zone: string): Promise<RegionCount[]> {
  const r = await sql<{ year: number | null; region: string | null; count: number }>`
    select year, region, count(*)::int as count
    from (select ${closeYear(zone)} as year, found_region as region from cases where group_id = ${groupId} and status = 'closed') c
    group by grouping sets ((year, region), (region))
    order by year nulls last, count desc, region nulls last`.execute(db);
  return r.rows;
}

/** Cases opened per year of their opening day (the ledger's date, not the day it was typed in). */
export async function openedByYear(db: Executor, groupId: number): Promise<YearCount[]> {
  const r = await sql<YearCount>`
    select year, count(*)::int as count
    from (select extract(year from opened_on)::int as year from cases where group_id = ${groupId}) c
    group by grouping sets ((year), ())
    order by year nulls last`.execute(db);
  return r.rows;
}

/** The group's money per year of the entries' own dates, by kind and currency. */
export async function moneyByYear(db: Executor, groupId: number): Promise<MoneyYearTotal[]> {
  const r = await sql<{ year: number | null; kind: MoneyKind; currency: string; total: string; entries: number }>`
    select year, kind, currency, sum(amount)::text as total, count(*)::int as entries
    from (
      select extract(year from m.occurred_on)::int as year, m.kind, m.currency, m.amount
      from cases c join money_entries m on m.case_id = c.id
      where c.group_id = ${groupId}
    ) e
    group by grouping sets ((year, kind, currency), (kind, currency))
    order by year nulls last, kind, currency`.execute(db);
  return r.rows;
}

/**
 * The median time at large of the cases closed with one of `outcomes`, per year of the close.
 * At large from `at_large_since`, or from the opening day when the flight's date is unknown;
 * until custody when it was recorded, else until the close: the span the case card and the
 * announcement show. A span that would end before it began (a date typed wrong) is left out.
 */
export async function medianAtLarge(db: Executor, groupId: number, zone: string, outcomes: readonly Outcome[]): Promise<MedianAtLarge[]> {
  const r = await sql<{ year: number | null; median: number; cases: number }>`
    select year, percentile_cont(0.5) within group (order by days)::float8 as median, count(*)::int as cases
    from (
      select ${closeYear(zone)} as year,
        (coalesce(in_custody_at, closed_at) at time zone ${zone})::date - coalesce(at_large_since, opened_on) as days
      from cases
      where group_id = ${groupId} and status = 'closed' and outcome in (${sql.join([...outcomes])})
    ) c
    where days >= 0
    group by grouping sets ((year), ())
    order by year nulls last`.execute(db);
  return r.rows.map((x) => ({ year: x.year, medianDays: Number(x.median), cases: x.cases }));
}

export interface OpenCount {
  /** Cases not closed now (open, located, in custody, on hold): the ledger's open cases. */
  open: number;
  /** Every case the group has. */
  cases: number;
  /** The earliest opening day, YYYY-MM-DD; null for a group without cases. */
  firstOpenedOn: string | null;
}

export async function openCount(db: Executor, groupId: number): Promise<OpenCount> {
  const r = await sql<{ open: number; cases: number; first: string | null }>`
    select count(*) filter (where status <> 'closed')::int as open, count(*)::int as cases, min(opened_on)::text as first
    from cases where group_id = ${groupId}`.execute(db);
  const row = r.rows[0]!;
  return { open: row.open, cases: row.cases, firstOpenedOn: row.first };
}

/**
 * How many cases were open at instant `at`, by when things happened: opened on or before
 * that day (in `zone`), and not closed then (the last close or reopen dated at or before it
 * was no close). A case backfilled later counts from its opening day, as the ledger reads.
 */
export async function openAt(db: Executor, groupId: number, zone: string, at: Date): Promise<number> {
  const r = await sql<{ open: number }>`
    select count(*)::int as open
    from cases c
    where c.group_id = ${groupId}
      and c.opened_on <= (${at}::timestamptz at time zone ${zone})::date
      and coalesce((
        select e.kind from audit_events e
        where e.case_id = c.id and e.kind in ('case.closed', 'case.reopened') and e.at <= ${at}
        order by e.at desc, e.id desc limit 1
      ), 'case.reopened') <> 'case.closed'`.execute(db);
  return r.rows[0]!.open;
}

export interface UnitCount {
  /** The case's origin unit; null: no unit given. */
  unitId: number | null;
  unitName: string | null;
  count: number;
}

/** Open cases by their origin unit, most first (a removed unit keeps its name here). */
export async function openByUnit(db: Executor, groupId: number): Promise<UnitCount[]> {
  const r = await sql<UnitCount>`
    select c.origin_unit_id as "unitId", u.name as "unitName", count(*)::int as count
    from cases c left join units u on u.id = c.origin_unit_id
    where c.group_id = ${groupId} and c.status <> 'closed'
    group by c.origin_unit_id, u.name
    order by count desc, u.name nulls last`.execute(db);
  return r.rows.map((x) => ({ ...x, unitId: x.unitId === null ? null : Number(x.unitId) }));
}

/**
 * Open cases by whole years at large on `today` (YYYY-MM-DD in the group's zone): from
 * `at_large_since`, or from the opening day when the flight's date is unknown.
 */
export async function openByWholeYearsAtLarge(db: Executor, groupId: number, today: string): Promise<{ years: number; count: number }[]> {
  const r = await sql<{ years: number; count: number }>`
    select greatest(extract(year from age(${today}::date, coalesce(at_large_since, opened_on)))::int, 0) as years, count(*)::int as count
    from cases where group_id = ${groupId} and status <> 'closed'
    group by 1 order by 1`.execute(db);
  return r.rows;
}
