import type { Generated, Selectable } from 'kysely';
import type { MoneyKind } from '../domain/money.js';

export interface MoneyEntriesTable {
  id: Generated<number>;
  team_id: string;
  case_id: number;
  kind: MoneyKind;
  /** Exact decimal as text (pg numeric); arithmetic happens in SQL or on strings. */
  amount: string;
  currency: string;
  occurred_on: string;
  note: string | null;
  /** Corrects an earlier entry (a negative amount always does). */
  correction: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
}
export type MoneyEntry = Selectable<MoneyEntriesTable>;
