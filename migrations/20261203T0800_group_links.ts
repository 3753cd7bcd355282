import { sql, type Kysely } from 'kysely';

/**
 * Two tiers of groups (a provincial office over prefectures' groups): a link needs a
 * coordinator of each side. The first side's request waits here until the other side's
 * coordinator answers; then `groups.parent_group_id` is set and the request goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_link_requests')
    .addColumn('child_group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('parent_group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    // Which side asked: 'child' (`/docket parent #…`) or 'parent' (`/docket child #…`).
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('child', 'parent')`))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .addPrimaryKeyConstraint('group_link_requests_pk', ['child_group_id', 'parent_group_id', 'side'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('group_link_requests').execute();
}
