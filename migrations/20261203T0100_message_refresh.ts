import { sql, type Kysely } from 'kysely';

/**
 * A message docket sent about something (an item's reminder, its "you have a new item") shows
 * that thing as it was when sent. Each change to its subject now counts on the sent row
 * (`subject_version`), and the row remembers which of those changes the message in Slack shows
 * (`shown_version`): a message is stale while the first is ahead, and a job brings it up to date
 * with chat.update. `stale_since` is when it fell behind (the reconciler re-enqueues a lost
 * update after a grace, and gives up a day later); `update_error` is why Slack will never take
 * an update of it (deleted, channel archived…): such a message is left alone from then on.
 * Rows sent before this migration show what they showed; they count from 0.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('subject_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shown_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stale_since', 'timestamptz')
    .addColumn('update_error', 'text')
    .execute();
  // What a change to a subject marks stale: its sent messages.
  await sql`create index outbox_subject_sent_idx on outbox (subject_type, subject_id, id) where state = 'sent'`.execute(db);
  // What the reconciler looks for: stale messages whose update may have been lost.
  await sql`create index outbox_stale_idx on outbox (stale_since) where subject_version > shown_version and update_error is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_stale_idx`.execute(db);
  await sql`drop index outbox_subject_sent_idx`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('update_error').dropColumn('stale_since').dropColumn('shown_version').dropColumn('subject_version').execute();
}
