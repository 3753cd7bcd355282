import { sql, type Kysely } from 'kysely';

/**
 * Each existing group gets its weekly digest schedule (src/features/digest/weekly.ts): Monday
 * 09:00 in its zone, next due at the next such Monday. New groups get theirs when set up.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into schedules (key, kind, team_id, group_id, rule, start_local, time_zone, enabled, next_run_at)
    select 'digest.weekly:' || g.id, 'digest.weekly', g.team_id, g.id, 'FREQ=WEEKLY;BYDAY=MO', '2026-01-05T09:00', g.time_zone, true,
           (date_trunc('week', now() at time zone g.time_zone) + interval '9 hours'
             + case when now() at time zone g.time_zone >= date_trunc('week', now() at time zone g.time_zone) + interval '9 hours' then interval '7 days' else interval '0' end
           ) at time zone g.time_zone
      from groups g
    on conflict (key) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from schedules where kind = 'digest.weekly'`.execute(db);
}
