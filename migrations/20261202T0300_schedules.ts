import { sql, type Kysely } from 'kysely';

/**
 * Recurring work, one row per schedule: an RFC 5545 rule with the local wall-clock time of its
 * first occurrence and an IANA zone, when it is next due, and what it last ran. A worker takes a
 * due row under lock, does the occurrence's work in the same transaction, and moves
 * `next_run_at` past now: a second worker or a retry finds it not due, a restart finds the
 * state where it was left, and after downtime one occurrence runs, not one per missed run.
 *
 * Two kinds start here: the hourly housekeeping, and each group's daily overdue reminder (at
 * its reminder settings' hour, in its zone), which used to be chained item by item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // One schedule per key: 'housekeeping', 'items.overdue:12', later 'meeting:7'.
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('group_id', 'bigint', (c) => c.references('groups.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('start_local', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // Null when disabled or when the rule has no occurrence left.
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('last_occurrence', 'timestamptz')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index schedules_due_idx on schedules (next_run_at) where enabled`.execute(db);

  await sql`insert into schedules (key, kind, rule, start_local, time_zone, next_run_at)
            values ('housekeeping', 'housekeeping', 'FREQ=HOURLY', '2026-01-01T00:00', 'UTC', now())`.execute(db);
  // Each existing group's daily overdue reminder, at its hour (9 by default), next due at the
  // next such hour in its zone.
  await sql`
    insert into schedules (key, kind, team_id, group_id, rule, start_local, time_zone, enabled, next_run_at)
    select 'items.overdue:' || g.id, 'items.overdue', g.team_id, g.id, 'FREQ=DAILY',
           '2026-01-01T' || lpad(coalesce(s.overdue_hour, 9)::text, 2, '0') || ':00', g.time_zone,
           s.group_id is null or s.overdue_hour is not null,
           case when s.group_id is not null and s.overdue_hour is null then null else
             (date_trunc('day', now() at time zone g.time_zone)
               + make_interval(hours => coalesce(s.overdue_hour, 9))
               + case when (now() at time zone g.time_zone)::time >= make_time(coalesce(s.overdue_hour, 9), 0, 0) then interval '1 day' else interval '0' end
             ) at time zone g.time_zone end
      from groups g left join reminder_settings s on s.group_id = g.id`.execute(db);
  // The daily overdue reminder is now the schedule's: no item plans its own any more. Rows
  // already planned stay; the schedule plans the same message under the same key, and the
  // outbox keeps one.
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('schedules').execute();
}
