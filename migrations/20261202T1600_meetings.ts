import { sql, type Kysely } from 'kysely';

/**
 * Standing meetings of a group: a series stored as its RFC 5545 rule, the local wall-clock
 * time of its first occurrence and an IANA zone (never a UTC offset, so 09:30 stays 09:30
 * across daylight-saving changes), with how long it lasts, where, and the units it concerns.
 * Numbered within the group (#1 is each group's first meeting), from a counter row per group
 * updated in the adding transaction, as action items are. A cancelled series keeps its row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_counters')
    .addColumn('group_id', 'bigint', (c) => c.primaryKey().references('groups.id'))
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('start_local', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 1 and 1440`))
    .addColumn('location', 'text')
    .addColumn('unit_ids', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('cancelled_at', 'timestamptz')
    .addUniqueConstraint('meetings_seq_uq', ['group_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meetings').execute();
  await db.schema.dropTable('meeting_counters').execute();
}
