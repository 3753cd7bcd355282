import { sql, type Kysely } from 'kysely';

/** When a group is reminded of its meetings: minutes before each, a day and a quarter of an hour unless it says otherwise. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('groups')
    .addColumn('meeting_reminder_minutes', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{1440,15}'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').dropColumn('meeting_reminder_minutes').execute();
}
