import { sql } from 'kysely';
import type { MoneyKind } from '../domain/money.js';
import type { Executor } from './database.js';
import type { MoneyEntry } from './money.table.js';

export function insertMoney(
  db: Executor,
  e: { team_id: string; case_id: number; kind: MoneyKind; amount: string; currency: string; occurred_on: string; note: string | null; correction: boolean; created_by: string },
): Promise<MoneyEntry> {
  return db.insertInto('money_entries').values(e).returningAll().executeTakeFirstOrThrow();
}

export interface MoneyTotal {
  kind: MoneyKind;
  currency: string;
  /** Exact sum as a decimal string, computed by Postgres. */
  total: string;
  entries: number;
}

export async function moneyTotals(db: Executor, caseId: number): Promise<MoneyTotal[]> {
  const rows = await db
    .selectFrom('money_entries')
    .select((eb) => ['kind', 'currency', eb.fn.sum<string>('amount').as('total'), eb.fn.countAll<number>().as('entries')])
    .where('case_id', '=', caseId)
    .groupBy(['kind', 'currency'])
    .orderBy('currency')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, currency: r.currency, total: String(r.total), entries: Number(r.entries) }));
}

export interface MoneyYear {
  kind: MoneyKind;
  currency: string;
  /** The entries' own year (when the money moved, not when it was typed). */
  year: number;
  total: string;
  entries: number;
  corrections: number;
}

/** A case's money per kind, currency and year of the entries' dates. */
export async function moneyByYear(db: Executor, caseId: number): Promise<MoneyYear[]> {
  const rows = await db
    .selectFrom('money_entries')
    .select((eb) => [
      'kind',
      'currency',
      sql<number>`extract(year from occurred_on)::int`.as('year'),
      eb.fn.sum<string>('amount').as('total'),
      eb.fn.countAll<number>().as('entries'),
      sql<number>`count(*) filter (where correction)`.as('corrections'),
    ])
    .where('case_id', '=', caseId)
    .groupBy(['kind', 'currency', sql`extract(year from occurred_on)`])
    .orderBy('kind')
    .orderBy('currency')
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ kind: r.kind, currency: r.currency, year: Number(r.year), total: String(r.total), entries: Number(r.entries), corrections: Number(r.corrections) }));
}

/** A case's latest `limit` money entries by their own date, latest first. */
export function moneyEntries(db: Executor, caseId: number, limit: number): Promise<MoneyEntry[]> {
  return db.selectFrom('money_entries').selectAll().where('case_id', '=', caseId).orderBy('occurred_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
