import { type Kysely } from 'kysely';

/**
 * One occurrence of a meeting series skipped or moved (`/meeting skip`, `/meeting move`): the
 * occurrence is named by its instant as the rule gives it; a move says where it went. The
 * series' rule is untouched, so the calendar feed can say the same (EXDATE, RECURRENCE-ID).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('meeting_id', 'bigint', (c) => c.notNull().references('meetings.id'))
    .addColumn('occurrence', 'timestamptz', (c) => c.notNull())
    .addColumn('moved_to', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .addUniqueConstraint('meeting_changes_uq', ['meeting_id', 'occurrence'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_changes').execute();
}
