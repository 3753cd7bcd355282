import { sql } from 'kysely';
import type { ActionItem } from './action-items.table.js';
import type { Executor } from './database.js';
import type { NewReminder, Reminder, ReminderState } from './reminders.table.js';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../domain/reminder-settings.js';

/** What a delayed job is made from: the reminder, its time, and the channel it will be paced on. */
export interface Scheduled {
  id: number;
  fire_at: Date;
  channel: string;
}

/** Inserts planned reminders; one already planned for the same moment and person is kept, not doubled. */
export async function insertReminders(db: Executor, rows: NewReminder[]): Promise<Scheduled[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('reminders')
    .values(rows)
    .onConflict((oc) => oc.columns(['item_id', 'kind', 'fire_at', 'channel']).where('state', '<>', 'cancelled').doNothing())
    .returning(['id', 'fire_at', 'channel'])
    .execute();
}

/**
 * Cancels the item's reminders that have not gone out, in the transaction that changes the
 * item. A claimed one is cancelled too: its worker re-reads the row under lock before posting.
 */
export async function cancelLiveReminders(db: Executor, itemId: number): Promise<number[]> {
  const rows = await db
    .updateTable('reminders')
    .set({ state: 'cancelled', lease_until: null })
    .where('item_id', '=', itemId)
    .where('state', 'in', ['pending', 'claimed'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export function findReminder(db: Executor, id: number): Promise<Reminder | undefined> {
  return db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirst();
}

const REMINDER_COLUMNS = ['id', 'team_id', 'group_id', 'item_id', 'kind', 'fire_at', 'channel', 'state', 'attempts', 'claim_token', 'lease_until', 'sent_at', 'message_channel', 'message_ts', 'late', 'error', 'created_at', 'history_failures', 'possible_repeat'] as const;

/**
 * For the delivery transaction, in one statement: the item locked FOR SHARE (an item change
 * waits until the post is recorded) and the reminder FOR UPDATE. Postgres takes row locks in
 * FROM order, item first: the order item changes use, so the two cannot deadlock.
 * `toRecipient`: the reminder's person would still be chosen by ownerRecipients() now (a
 * member of the group, and the owner, the owning unit's contact, or with no contact one of its
 * members). Escalations go to the group channel and are not checked.
 */
export async function lockForDelivery(db: Executor, id: number): Promise<{ item: ActionItem; reminder: Reminder; toRecipient: boolean } | undefined> {
  const cols = sql.raw(REMINDER_COLUMNS.map((c) => `r.${c} as r_${c}`).join(', '));
  const { rows } = await sql<Record<string, unknown>>`
    select i.*, ${cols},
           (r.kind = 'escalation' or exists (
              select 1 from members m
               where m.group_id = i.group_id and m.user_id = r.channel
                 and (i.owner_user_id = r.channel
                      or exists (select 1 from units u
                                  where u.id = i.owner_unit_id
                                    and (u.contact_user_id = r.channel or (u.contact_user_id is null and m.unit_id = u.id))))
           )) as x_to_recipient
      from action_items i join reminders r on r.item_id = i.id
     where r.id = ${id}
       for share of i for update of r`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { x_to_recipient: toRecipient, ...rest } = row;
  const reminder: Record<string, unknown> = {};
  const item: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k.startsWith('r_')) reminder[k.slice(2)] = v;
    else item[k] = v;
  }
  return { item: item as unknown as ActionItem, reminder: reminder as unknown as Reminder, toRecipient: toRecipient === true };
}

type Owned = { id: number; token: string };

export async function markSent(db: Executor, c: Owned, sent: { channel: string; ts: string; late: boolean; at: Date; possibleRepeat?: boolean }): Promise<boolean> {
  const r = await db
    .updateTable('reminders')
    .set({ state: 'sent', message_channel: sent.channel, message_ts: sent.ts, late: sent.late, sent_at: sent.at, lease_until: null, error: null, possible_repeat: sent.possibleRepeat ?? false })
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The attempt did not post (a definite refusal): the reminder is pending again. */
export async function releaseClaim(db: Executor, c: Owned, error: string | null): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ state: 'pending', claim_token: null, lease_until: null, error })
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .execute();
}

/**
 * This attempt stops before posting (not yet due, or the channel's turn has not come). A
 * claim taken over from a dead attempt stays `claimed`, lease over, so that the next attempt
 * still checks Slack for that attempt's post; a fresh claim goes back to pending.
 */
export async function yieldClaim(db: Executor, c: Owned, previous: ReminderState): Promise<void> {
  if (previous === 'claimed') await expireClaim(db, c, null);
  else await releaseClaim(db, c, null);
}

/** The attempt may or may not have posted (a timeout): keep the claim, but let the next attempt check at once. */
export async function expireClaim(db: Executor, c: Owned, error: string | null): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ lease_until: sql<Date>`now()`, error })
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .execute();
}

/**
 * Slack's history could not be read while checking for a dead attempt's post: count it on the
 * row (the bound on re-checks must outlive the job and Redis) and keep the claim, lease over,
 * so that the next attempt checks again. Answers the count so far, or undefined when the
 * claim is no longer ours.
 */
export async function noteHistoryFailure(db: Executor, c: Owned, error: string): Promise<number | undefined> {
  const row = await db
    .updateTable('reminders')
    .set((eb) => ({ history_failures: eb('history_failures', '+', 1), lease_until: sql<Date>`now()`, error }))
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .returning('history_failures')
    .executeTakeFirst();
  return row?.history_failures;
}

/** Gives a reminder up for good; with `dueBefore`, only one that was due before then. */
export async function markFailed(db: Executor, id: number, error: string, dueBefore?: Date): Promise<void> {
  let q = db.updateTable('reminders').set({ state: 'failed', lease_until: null, error }).where('id', '=', id).where('state', 'in', ['pending', 'claimed']);
  if (dueBefore) q = q.where('fire_at', '<', dueBefore);
  await q.execute();
}

export async function markCancelled(db: Executor, id: number): Promise<void> {
  await db.updateTable('reminders').set({ state: 'cancelled', lease_until: null }).where('id', '=', id).where('state', 'in', ['pending', 'claimed']).execute();
}

/** Reminders still to go out, in id order, a page at a time (the reconciler's full rebuild). */
export function liveReminders(db: Executor, afterId: number, limit: number): Promise<Scheduled[]> {
  return db
    .selectFrom('reminders')
    .select(['id', 'fire_at', 'channel'])
    .where('state', 'in', ['pending', 'claimed'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Reminders that should have gone out by `before` and are not in flight: the reconciler's quick pass. */
export function overdueReminders(db: Executor, before: Date, limit: number): Promise<Scheduled[]> {
  return db
    .selectFrom('reminders')
    .select(['id', 'fire_at', 'channel'])
    .where('fire_at', '<', before)
    .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'claimed'), eb('lease_until', '<', sql<Date>`now()`)])]))
    .orderBy('fire_at')
    .limit(limit)
    .execute();
}

export async function reminderSettings(db: Executor, groupId: number): Promise<ReminderSettings> {
  const row = await db.selectFrom('reminder_settings').selectAll().where('group_id', '=', groupId).executeTakeFirst();
  if (!row) return { ...DEFAULT_REMINDER_SETTINGS, beforeMinutes: [...DEFAULT_REMINDER_SETTINGS.beforeMinutes] };
  return { beforeMinutes: row.before_minutes, atDue: row.at_due, overdueHour: row.overdue_hour, escalateAfterDays: row.escalate_after_days };
}

export async function saveReminderSettings(db: Executor, groupId: number, s: ReminderSettings): Promise<void> {
  const values = { before_minutes: s.beforeMinutes, at_due: s.atDue, overdue_hour: s.overdueHour, escalate_after_days: s.escalateAfterDays };
  await db
    .insertInto('reminder_settings')
    .values({ group_id: groupId, ...values })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();
}
