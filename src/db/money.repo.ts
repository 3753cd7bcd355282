import type { MoneyKind } from '../domain/money.js';
import type { Executor } from './database.js';
import type { MoneyEntry } from './money.table.js';

export function insertMoney(
  db: Executor,
  e: { team_id: string; case_id: number; kind: MoneyKind; amount: string; currency: string; occurred_on: string; note: string | null; created_by: string },
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
