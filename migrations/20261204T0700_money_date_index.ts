import { sql, type Kysely } from 'kysely';

/**
 * A parent group's roll-up sums a year's recovered money over dozens of child groups, whose
 * cases are a few percent of the ledger: with only the case index the planner read all of
 * money_entries. An index by kind and date (carrying what the sum needs) reads one year's
 * entries of one kind instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index money_kind_date_idx on money_entries (kind, occurred_on) include (case_id, currency, amount)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index money_kind_date_idx`.execute(db);
}
