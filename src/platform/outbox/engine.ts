import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import type { Messages } from '../../i18n/index.js';
import type { PostOutcome, WorkspaceOutbound } from './outbound.js';
import type { OutboxKinds } from './kinds.js';
import { expireClaim, markCancelled, markFailed, markSent, releaseClaim } from './outbox.repo.js';
import type { Scheduled } from './outbox.table.js';

export const kindOf = (kinds: OutboxKinds, name: string) => (Object.hasOwn(kinds, name) ? kinds[name] : undefined);

export type Delivery =
  | { kind: 'sent'; ts: string; late: boolean; possibleRepeat: boolean; next: Scheduled[] }
  /** The claim is no longer ours (taken over after our lease ran out), or the row changed: nothing posted. */
  | { kind: 'lost' }
  /** Its kind no longer wants it (the item was done, the person left): cancelled instead of sent. */
  | { kind: 'stale' }
  /** No kind of that name is registered (a row written by a newer or older deploy): left for one that knows it. */
  | { kind: 'unknown_kind' }
  | Exclude<PostOutcome, { kind: 'posted' }>;

export interface DeliveryInput {
  id: number;
  /** The row's kind, as the claim read it (a row's kind never changes). */
  kind: string;
  claimToken: string;
  /** The reader's catalog: the recipient's Slack locale for a direct message, the group's for the channel. */
  m: Messages;
  now: Date;
  lateAfterMs: number;
  /**
   * Set when an earlier attempt died after claiming and Slack's history could not be read to
   * find its post (the error code): the message goes out marked as a possible repeat.
   */
  unverified?: string;
}

/**
 * Posts a claimed message inside one transaction that holds its subject (as its kind locks it)
 * and its row FOR UPDATE, and records the posted message in that same transaction:
 *  - a change to the subject waits for the lock, so it either happened before (the row is
 *    cancelled, or the kind no longer wants it, and nothing is posted) or after the post;
 *  - another attempt at the same row blocks on it until this one commits, then finds it sent.
 * The window that remains is a crash after Slack accepted the post and before COMMIT: the row
 * stays `claimed`, and the next attempt looks for the message in Slack before posting again.
 */
export async function deliverClaimed(db: Db, outbound: WorkspaceOutbound, kinds: OutboxKinds, d: DeliveryInput): Promise<Delivery> {
  return transaction(db, async (trx): Promise<Delivery> => {
    const kind = kindOf(kinds, d.kind);
    if (!kind) return { kind: 'unknown_kind' };
    const locked = await kind.lock(trx, d.id);
    if (!locked) return { kind: 'lost' };
    const { row, subject } = locked;
    if (row.state !== 'claimed' || row.claim_token !== d.claimToken) return { kind: 'lost' };
    if (!kind.wanted(subject, row)) {
      await markCancelled(trx, row.id);
      return { kind: 'stale' };
    }
    const late = d.now.getTime() - row.fire_at.getTime() > d.lateAfterMs;
    const possibleRepeat = d.unverified;
    const message = await kind.render(trx, subject, row, { m: d.m, now: d.now, late, possibleRepeat });
    const owned = { id: row.id, token: d.claimToken };
    const posted = await outbound.post(row.channel, { ...message, outboxId: row.id, kind: row.kind });
    switch (posted.kind) {
      case 'posted': {
        await markSent(trx, owned, { channel: posted.channel, ts: posted.ts, late, at: d.now, possibleRepeat: possibleRepeat !== undefined });
        const next = (await kind.sent?.(trx, subject, row, { at: d.now, late, possibleRepeat })) ?? [];
        return { kind: 'sent', ts: posted.ts, late, possibleRepeat: possibleRepeat !== undefined, next };
      }
      case 'ratelimited':
      case 'refused':
        await releaseClaim(trx, owned, posted.kind === 'refused' ? posted.code : null);
        return posted;
      case 'permanent':
        await markFailed(trx, row.id, posted.code);
        await kind.failed?.(trx, subject, row, posted.code);
        return posted;
      case 'uncertain':
        await expireClaim(trx, owned, posted.code);
        return posted;
    }
  });
}

/**
 * A message an earlier attempt posted and then died before recording: record that post now
 * (and plan what sending it would have planned), instead of posting a second time.
 */
export async function recordRecovered(db: Db, kinds: OutboxKinds, d: { id: number; kind: string; claimToken: string; found: { channel: string; ts: string }; now: Date; lateAfterMs: number }): Promise<Scheduled[]> {
  return transaction(db, async (trx) => {
    const kind = kindOf(kinds, d.kind);
    const locked = kind ? await kind.lock(trx, d.id) : undefined;
    if (!kind || !locked) return [];
    const { row, subject } = locked;
    const late = d.now.getTime() - row.fire_at.getTime() > d.lateAfterMs;
    if (!(await markSent(trx, { id: row.id, token: d.claimToken }, { ...d.found, late, at: d.now }))) return [];
    return (await kind.sent?.(trx, subject, row, { at: d.now, late, possibleRepeat: undefined })) ?? [];
  });
}
