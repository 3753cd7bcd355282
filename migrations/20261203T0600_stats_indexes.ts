import { sql, type Kysely } from 'kysely';

/**
 * Statistics: how many cases were open at a past instant (the digest's "since last week")
 * looks, per case, for the last close or reopen dated at or before it. Among a case's many
 * timeline entries those are few; a partial index holds only them, so the look-up reads one
 * index entry per case instead of walking its notes and items.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_case_close_idx on audit_events (case_id, at, id) where kind in ('case.closed', 'case.reopened')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_case_close_idx`.execute(db);
}
