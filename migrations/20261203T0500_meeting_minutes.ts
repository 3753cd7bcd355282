import { sql, type Kysely } from 'kysely';

/**
 * The minutes of one meeting (one occurrence of a series, named by the instant it was held):
 * who attended (member units, and guests from outside the group by name), the notes, the notes
 * per case, and the action items its decisions became. One record per occurrence: a second
 * recording of the same meeting is refused, not merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_minutes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('meeting_id', 'bigint', (c) => c.notNull().references('meetings.id'))
    .addColumn('occurrence', 'timestamptz', (c) => c.notNull())
    .addColumn('unit_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('guests', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('notes', 'text')
    // [{ case_id, note }]: the cases discussed, in the order the form gave them.
    .addColumn('case_notes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('item_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .addUniqueConstraint('meeting_minutes_uq', ['meeting_id', 'occurrence'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_minutes').execute();
}
