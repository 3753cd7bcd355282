import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import type { Messages } from '../../i18n/index.js';
import { kindOf } from './engine.js';
import type { OutboxKinds } from './kinds.js';
import type { UpdateOutcome, WorkspaceOutbound } from './outbound.js';
import { markShown, markUnupdatable } from './refresh.repo.js';

/**
 * Messages docket already sent show their subject as it was: a reminder's Done button on an
 * item since done, an owner since replaced. When the subject changes, the change's transaction
 * marks its sent messages stale (refresh.repo.ts `markStale`: a version count on the outbox row,
 * so the mark commits or rolls back with the change) and, after the commit, a job per message
 * (`outbox.refresh`, on the outbox's queue) updates it with chat.update; the reconciler
 * re-enqueues one whose job was lost (a crash between commit and enqueue, Redis lost).
 *
 * Like a post, the update is rendered and sent inside one transaction that holds the subject
 * and the row as the kind locks them: a change either committed before (and is shown) or waits
 * until the update is recorded (and marks it stale again). So the message always ends showing
 * the latest state, whatever order jobs run in; a job that finds it current does nothing.
 */
export type RefreshResult =
  | { kind: 'updated'; version: number }
  /** Nothing to do: it shows its subject as it is (another job got there first), or can no longer be updated. */
  | { kind: 'current' }
  | { kind: 'gone' }
  | { kind: 'unknown_kind' }
  | Exclude<UpdateOutcome, { kind: 'updated' }>;

export async function refreshSent(db: Db, outbound: WorkspaceOutbound, kinds: OutboxKinds, d: { id: number; kind: string; m: Messages; now: Date }): Promise<RefreshResult> {
  return transaction(db, async (trx): Promise<RefreshResult> => {
    const kind = kindOf(kinds, d.kind);
    if (!kind) return { kind: 'unknown_kind' };
    const locked = await kind.lock(trx, d.id);
    if (!locked) return { kind: 'gone' };
    const { row, subject } = locked;
    // Only a message docket posted and Slack took (never an ephemeral reply: those are not in the outbox).
    if (row.state !== 'sent' || !row.message_channel || !row.message_ts || row.update_error !== null) return { kind: 'current' };
    if (row.subject_version <= row.shown_version) return { kind: 'current' };
    if (!kind.refresh) {
      await markShown(trx, row.id, row.subject_version);
      return { kind: 'current' };
    }
    const message = await kind.refresh(trx, subject, row, { m: d.m, now: d.now });
    const res = await outbound.update({ channel: row.message_channel, ts: row.message_ts }, message);
    switch (res.kind) {
      case 'updated':
        await markShown(trx, row.id, row.subject_version);
        return { kind: 'updated', version: row.subject_version };
      case 'permanent':
        // Deleted in Slack, channel archived…: given up quietly, and never tried again.
        await markUnupdatable(trx, row.id, res.code);
        return res;
      default:
        // Stays stale: the job waits (429) or retries, and renders the state of that moment.
        return res;
    }
  });
}
