import { sql, type Kysely } from 'kysely';

/**
 * Action items get a number of their own in their group (`seq`: #1 is the first item of each
 * group, as a case reference counts within its group), instead of showing the table's id,
 * which runs across every group (a second group's first item was #37). Numbers are taken from
 * a counter row per group, updated in the adding transaction: concurrent adds queue on its
 * lock and a rolled-back add gives its number back, so numbers have neither duplicates nor gaps.
 *
 * Existing items are numbered in the order they were added (their id), group by group, and
 * each group's counter starts after its last item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('item_counters')
    .addColumn('group_id', 'bigint', (c) => c.primaryKey().references('groups.id'))
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('action_items').addColumn('seq', 'integer').execute();
  await sql`
    update action_items i set seq = n.seq
      from (select id, row_number() over (partition by group_id order by id) as seq from action_items) n
     where n.id = i.id`.execute(db);
  await db.schema.alterTable('action_items').alterColumn('seq', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('action_items').addUniqueConstraint('action_items_seq_uq', ['group_id', 'seq']).execute();
  await sql`insert into item_counters (group_id, last_seq) select group_id, max(seq) from action_items group by group_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('action_items').dropConstraint('action_items_seq_uq').execute();
  await db.schema.alterTable('action_items').dropColumn('seq').execute();
  await db.schema.dropTable('item_counters').execute();
}
