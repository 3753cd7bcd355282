import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Reminder, ReminderState } from './reminders.table.js';

/** What a reminder message needs besides the item itself: read once, outside the delivery lock. */
export interface DeliveryContext {
  groupId: number;
  groupChannel: string;
  zone: string;
  /** Language of the group's channel posts (escalations). */
  locale: string;
  caseRef: string;
  supervisor: string | null;
  unitName: string | null;
}

export interface Claim {
  reminder: Reminder;
  ctx: DeliveryContext;
  /** `claimed`: an earlier attempt's lease ran out; it may have posted before dying. */
  previous: ReminderState;
  /** The earlier claim's lease: a post we may have to look for was made before it. */
  previousLease: Date | null;
}

/**
 * Check-and-set: takes a pending reminder, or one whose claim's lease ran out, for this
 * attempt, and returns it with what its message needs (one round trip). The claim commits on
 * its own, before anything is posted, so that a crash after posting leaves evidence that a
 * post may exist.
 */
export async function claimForDelivery(db: Executor, id: number, token: string, leaseMs: number): Promise<Claim | undefined> {
  const { rows } = await sql<Reminder & { previous: ReminderState; previous_lease: Date | null; g_channel: string; g_zone: string; g_locale: string; c_ref: string; c_supervisor: string | null; u_name: string | null }>`
    with prev as (select id, state, lease_until from reminders where id = ${id} for update)
    update reminders r
       set state = 'claimed', claim_token = ${token}, attempts = r.attempts + 1,
           lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      from prev, action_items i
      join groups g on g.id = i.group_id
      join cases c on c.id = i.case_id
      left join units u on u.id = i.owner_unit_id
     where r.id = prev.id and i.id = r.item_id
       and (prev.state = 'pending' or (prev.state = 'claimed' and prev.lease_until < now()))
    returning r.*, prev.state as previous, prev.lease_until as previous_lease,
              g.channel_id as g_channel, g.time_zone as g_zone, g.locale as g_locale,
              c.ref as c_ref, c.supervisor_user_id as c_supervisor, u.name as u_name`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { previous, previous_lease, g_channel, g_zone, g_locale, c_ref, c_supervisor, u_name, ...reminder } = row;
  return {
    reminder,
    previous,
    previousLease: previous_lease,
    ctx: { groupId: reminder.group_id, groupChannel: g_channel, zone: g_zone, locale: g_locale, caseRef: c_ref, supervisor: c_supervisor, unitName: u_name },
  };
}

export async function coordinatorsOf(db: Executor, groupId: number): Promise<string[]> {
  const rows = await db.selectFrom('members').select('user_id').where('group_id', '=', groupId).where('role', '=', 'coordinator').orderBy('created_at').execute();
  return rows.map((r) => r.user_id);
}
