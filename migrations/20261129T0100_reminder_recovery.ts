import type { Kysely } from 'kysely';

/**
 * Recovering a reminder whose worker died after claiming it depends on reading Slack's
 * history. How often that read has failed is kept on the row, not in the job, because jobs
 * can run twice and Redis can be flushed: the bound on re-checks must survive both. A
 * reminder posted without the check is flagged, since it may be a second copy.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reminders')
    .addColumn('history_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('possible_repeat', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reminders').dropColumn('possible_repeat').dropColumn('history_failures').execute();
}
