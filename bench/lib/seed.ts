import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { Scheduled } from '../../src/platform/outbox/outbox.table.js';

export const BENCH_TEAM = 'TBENCH';

export interface Planned {
  at: number;
  channel: string;
}

/**
 * Open items with one reminder each, straight into Postgres (the commands are not what is
 * measured): reminder i is due at plan[i].at and goes to plan[i].channel. Returns the rows in
 * plan order.
 */
export async function seedReminders(db: Db, plan: Planned[]): Promise<Scheduled[]> {
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
  for (let i = 0; i < plan.length; i += 20_000) {
    const part = plan.slice(i, i + 20_000);
    await sql`
      insert into action_items (team_id, group_id, seq, case_id, text, owner_user_id, due_at, state, created_by)
      select ${BENCH_TEAM}, ${group.id}, ${i}::int + n, ${c.id}, 'Bench item', ch, to_timestamp(at / 1000.0), 'open', 'U0BENCH'
      from unnest(${part.map((p) => p.at)}::float8[], ${part.map((p) => p.channel)}::text[]) with ordinality as t(at, ch, n)
      order by n`.execute(db);
  }
  // Reminders go only to members of the group (delivery checks it): every owner is one.
  await sql`
    insert into members (team_id, group_id, user_id, role)
    select distinct ${BENCH_TEAM}, ${group.id}::bigint, owner_user_id, 'member' from action_items where group_id = ${group.id}`.execute(db);
  await sql`
    insert into outbox (team_id, group_id, kind, subject_type, subject_id, dedupe_key, fire_at, channel)
    select team_id, group_id, 'item.due', 'item', id, 'item:' || id || ':due', due_at, owner_user_id from action_items where group_id = ${group.id} order by id`.execute(db);
  return db.selectFrom('outbox').select(['id', 'fire_at', 'channel']).orderBy('id').execute();
}

/** A warm-up (not measured) then the measured reminders: n spread evenly over windowMs from start. */
export function schedule(o: { start: number; warmup: number; warmupMs: number; n: number; windowMs: number; channel: (i: number) => string }): { plan: Planned[]; measuredFrom: number } {
  const plan: Planned[] = [];
  for (let i = 0; i < o.warmup; i++) plan.push({ at: o.start + (i * o.warmupMs) / o.warmup, channel: o.channel(i) });
  const from = o.start + (o.warmup ? o.warmupMs + 2000 : 0);
  for (let i = 0; i < o.n; i++) plan.push({ at: from + (i * o.windowMs) / o.n, channel: o.channel(o.warmup + i) });
  return { plan, measuredFrom: o.warmup };
}
