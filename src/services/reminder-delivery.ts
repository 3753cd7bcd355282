import { recordEvent } from '../db/audit.repo.js';
import type { Db } from '../db/database.js';
import { transaction } from '../db/transaction.js';
import { coordinatorsOf, type DeliveryContext } from '../db/delivery.repo.js';
import { expireClaim, lockForDelivery, markCancelled, markFailed, markSent, releaseClaim, type Scheduled } from '../db/reminders.repo.js';
import type { Reminder } from '../db/reminders.table.js';
import type { Messages } from '../i18n/index.js';
import { reminderMessage } from '../slack/blocks/reminder.js';
import type { Outbound, PostOutcome } from '../slack/outbound.js';
import { planNextOverdue } from './reminder-planner.js';

/** The actor of timeline entries the bot writes on its own (escalations, failed deliveries). */
export const SYSTEM_ACTOR = 'docket';

export type Delivery =
  | { kind: 'sent'; ts: string; late: boolean; possibleRepeat: boolean; next: Scheduled[] }
  /** The claim is no longer ours (taken over after our lease ran out), or the row changed: nothing posted. */
  | { kind: 'lost' }
  /** The item is no longer open, or the reminder's person no longer its recipient: cancelled instead of sent. */
  | { kind: 'stale' }
  | Exclude<PostOutcome, { kind: 'posted' }>;

export interface DeliveryInput {
  reminderId: number;
  claimToken: string;
  ctx: DeliveryContext;
  /** The reader's catalog: the recipient's Slack locale for a direct message, the group's for the channel. */
  m: Messages;
  now: Date;
  lateAfterMs: number;
  /**
   * Set when an earlier attempt died after claiming and Slack's history could not be read to
   * find its post (the error code): the message goes out marked as a possible repeat, and the
   * case timeline says why.
   */
  unverified?: string;
}

/**
 * The next daily reminder counts from when this one went out, not when it was due: after days
 * of downtime, one late reminder goes out, not one per missed day in a burst.
 */
const latest = (a: Date, b: Date) => (a > b ? a : b);

/**
 * Posts a claimed reminder inside one transaction that holds the item FOR SHARE and the
 * reminder FOR UPDATE, and records the posted message in that same transaction:
 *  - an item change (done, cancel, snooze, reschedule) waits for the lock, so it either
 *    happened before (the row is cancelled and nothing is posted) or after the post;
 *  - another attempt at the same reminder blocks on the row until this one commits, then
 *    finds it sent.
 * The window that remains is a crash after Slack accepted the post and before COMMIT: the row
 * stays `claimed`, and the next attempt looks for the message in Slack before posting again.
 */
export async function deliverClaimed(db: Db, outbound: Outbound, d: DeliveryInput): Promise<Delivery> {
  return transaction(db, async (trx): Promise<Delivery> => {
    const locked = await lockForDelivery(trx, d.reminderId);
    if (!locked) return { kind: 'lost' };
    const { item, reminder } = locked;
    if (reminder.state !== 'claimed' || reminder.claim_token !== d.claimToken) return { kind: 'lost' };
    // Done or cancelled since it was planned, or its person no longer the one to hear it (left
    // the group, no longer the unit's contact): nothing is posted.
    if (item.state !== 'open' || !locked.toRecipient) {
      await markCancelled(trx, reminder.id);
      return { kind: 'stale' };
    }
    const late = d.now.getTime() - reminder.fire_at.getTime() > d.lateAfterMs;
    const escalation = reminder.kind === 'escalation' ? { supervisor: d.ctx.supervisor, coordinators: await coordinatorsOf(trx, item.group_id) } : {};
    const possibleRepeat = d.unverified !== undefined;
    const message = reminderMessage({ item, kind: reminder.kind, caseRef: d.ctx.caseRef, unitName: d.ctx.unitName, zone: d.ctx.zone, now: d.now, fireAt: reminder.fire_at, late, possibleRepeat, ...escalation }, d.m);
    const owned = { id: reminder.id, token: d.claimToken };
    const posted = await outbound.post(reminder.channel, { ...message, reminderId: reminder.id });
    switch (posted.kind) {
      case 'posted': {
        await markSent(trx, owned, { channel: posted.channel, ts: posted.ts, late, at: d.now, possibleRepeat });
        if (possibleRepeat) await recordEvent(trx, systemEvent(reminder, item.case_id, 'action.reminder_unverified', { id: item.id, reminder: reminder.id, to: reminder.channel, error: d.unverified }));
        const next = reminder.kind === 'overdue' ? await planNextOverdue(trx, item, reminder.channel, latest(reminder.fire_at, d.now)) : [];
        if (reminder.kind === 'escalation') await recordEvent(trx, systemEvent(reminder, item.case_id, 'action.escalated', { id: item.id, late }));
        return { kind: 'sent', ts: posted.ts, late, possibleRepeat, next };
      }
      case 'ratelimited':
      case 'refused':
        await releaseClaim(trx, owned, posted.kind === 'refused' ? posted.code : null);
        return posted;
      case 'permanent':
        await markFailed(trx, reminder.id, posted.code);
        await recordEvent(trx, systemEvent(reminder, item.case_id, 'action.reminder_failed', { id: item.id, reminder: reminder.id, to: reminder.channel, error: posted.code }));
        return posted;
      case 'uncertain':
        await expireClaim(trx, owned, posted.code);
        return posted;
    }
  });
}

function systemEvent(r: Reminder, caseId: number, kind: string, after: unknown) {
  return { teamId: r.team_id, groupId: r.group_id, caseId, actor: SYSTEM_ACTOR, kind, before: null, after };
}

/**
 * A reminder an earlier attempt posted and then died before recording: record that post now
 * (and plan what sending it would have planned), instead of posting a second time.
 */
export async function recordRecovered(db: Db, d: { reminderId: number; claimToken: string; found: { channel: string; ts: string }; now: Date; lateAfterMs: number }): Promise<Scheduled[]> {
  return transaction(db, async (trx) => {
    const locked = await lockForDelivery(trx, d.reminderId);
    if (!locked) return [];
    const { item, reminder } = locked;
    const late = d.now.getTime() - reminder.fire_at.getTime() > d.lateAfterMs;
    if (!(await markSent(trx, { id: reminder.id, token: d.claimToken }, { ...d.found, late, at: d.now }))) return [];
    return reminder.kind === 'overdue' ? planNextOverdue(trx, item, reminder.channel, latest(reminder.fire_at, d.now)) : [];
  });
}
