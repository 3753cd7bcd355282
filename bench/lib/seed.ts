import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { Scheduled } from '../../src/db/reminders.repo.js';

export const BENCH_TEAM = 'TBENCH';

/**
 * N open items with one reminder each, straight into Postgres (the commands are not what is
 * measured): reminder i is due at start + i × step ms and goes to channelOf(i).
 */
export async function seedReminders(db: Db, o: { n: number; start: Date; stepMs: number; channel: (i: number) => string }): Promise<Scheduled[]> {
  const group = await db
    .insertInto('groups')
    .values({ team_id: BENCH_TEAM, channel_id: 'C0BENCH', name: 'Bench', case_prefix: 'BN', time_zone: 'Asia/Shanghai', currency: 'CNY', created_by: 'U0BENCH' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const c = await db
    .insertInto('cases')
    .values({ team_id: BENCH_TEAM, group_id: group.id, ref: 'BN-2026-001', year: 2026, seq: 1, title: 'Bench case', opened_on: '2026-01-01', status: 'open', status_changed_at: new Date(), created_by: 'U0BENCH' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const channels = Array.from({ length: o.n }, (_, i) => o.channel(i));
  await sql`
    insert into action_items (team_id, group_id, case_id, text, owner_user_id, due_at, state, created_by)
    select ${BENCH_TEAM}, ${group.id}, ${c.id}, 'Bench item ' || i, ch, ${o.start}::timestamptz + (i * ${o.stepMs}::float8) * interval '1 millisecond', 'open', 'U0BENCH'
    from unnest(${channels}::text[]) with ordinality as t(ch, i0), lateral (select i0 - 1 as i) x`.execute(db);
  await sql`
    insert into reminders (team_id, group_id, item_id, kind, fire_at, channel)
    select team_id, group_id, id, 'due', due_at, owner_user_id from action_items where group_id = ${group.id} order by id`.execute(db);
  return db.selectFrom('reminders').select(['id', 'fire_at']).orderBy('id').execute();
}
