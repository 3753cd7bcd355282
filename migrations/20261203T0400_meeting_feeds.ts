import { type Kysely } from 'kysely';

/**
 * A group's calendar feed (`/meeting ics`): the secret token of its URL, kept so the same URL
 * can be shown again, and its SHA-256, which a request is looked up by (so the lookup's timing
 * says nothing about the token). `generation` counts replacements: a confirmation button names
 * the one it replaces, so pressing it twice replaces once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_feeds')
    .addColumn('group_id', 'bigint', (c) => c.primaryKey().references('groups.id'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_feeds').execute();
}
