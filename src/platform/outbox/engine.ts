import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import type { Messages } from '../../i18n/index.js';
import type { PostOutcome, WorkspaceOutbound } from './outbound.js';
import type { OutboxKind, OutboxKinds } from './kinds.js';
import type { Message } from '../../slack/kit.js';
import { expireClaim, markCancelled, markFailed, markSent, markSentMany, releaseClaim, type SentRecord } from './outbox.repo.js';
import type { OutboxRow, Scheduled } from './outbox.table.js';

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
  /** The row's workspace's way out, its token read before the delivery's transaction opened (Outbound.to). */
  via: WorkspaceOutbound;
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
export async function deliverClaimed(db: Db, kinds: OutboxKinds, d: DeliveryInput): Promise<Delivery> {
  const [answer] = await deliverBatch(db, kinds, [d]);
  if (answer instanceof Error) throw answer;
  return answer!;
}

type Locked = { row: OutboxRow; subject: unknown };

/** Each row locked as its kind locks it, in id order: one statement per kind that locks many at once. */
async function lockAll(trx: Trx, kinds: OutboxKinds, ds: readonly DeliveryInput[]): Promise<Map<number, Locked>> {
  const locked = new Map<number, Locked>();
  const many = new Map<NonNullable<OutboxKind<unknown>['lockMany']>, number[]>();
  const single: { kind: OutboxKind<unknown>; id: number }[] = [];
  for (const d of ds) {
    const kind = kindOf(kinds, d.kind);
    if (!kind) continue;
    if (kind.lockMany) many.set(kind.lockMany, [...(many.get(kind.lockMany) ?? []), d.id]);
    else single.push({ kind, id: d.id });
  }
  // Kinds without lockMany (a case's posts, a meeting's, the digest's group) lock subjects that
  // contain the batched kinds' ones (a case its items): first, as changes do (closing a case
  // locks it, then its items). The other way round, a batch holding an item while waiting for
  // its case would deadlock with that close.
  for (const { kind, id } of single.sort((a, b) => a.id - b.id)) {
    const l = await kind.lock(trx, id);
    if (l) locked.set(id, l);
  }
  for (const [lockMany, ids] of many) for (const [id, l] of await lockMany(trx, [...new Set(ids)])) locked.set(id, l);
  return locked;
}

type Settled = { i: number; kind: OutboxKind<unknown>; row: OutboxRow; subject: unknown; late: boolean; posted: PostOutcome };

/** What Slack answered, written down: the posts accepted in one statement, then each row's kind. */
async function record(trx: Trx, ds: readonly DeliveryInput[], settled: readonly Settled[], out: (Delivery | Error)[]): Promise<void> {
  const sent: (SentRecord & { id: number; token: string })[] = [];
  for (const { i, row, late, posted: p } of settled) {
    const d = ds[i]!;
    if (p.kind === 'posted') sent.push({ id: row.id, token: d.claimToken, channel: p.channel, ts: p.ts, late, at: d.now, possibleRepeat: d.unverified !== undefined });
  }
  await markSentMany(trx, sent);
  for (const { i, kind, row, subject, late, posted: p } of settled) {
    const d = ds[i]!;
    const owned = { id: row.id, token: d.claimToken };
    switch (p.kind) {
      case 'posted': {
        const next = (await kind.sent?.(trx, subject, row, { at: d.now, late, possibleRepeat: d.unverified })) ?? [];
        out[i] = { kind: 'sent', ts: p.ts, late, possibleRepeat: d.unverified !== undefined, next };
        break;
      }
      case 'ratelimited':
      case 'refused':
        await releaseClaim(trx, owned, p.kind === 'refused' ? p.code : null);
        out[i] = p;
        break;
      case 'permanent':
        await markFailed(trx, row.id, p.code);
        await kind.failed?.(trx, subject, row, p.code);
        out[i] = p;
        break;
      case 'uncertain':
        await expireClaim(trx, owned, p.code);
        out[i] = p;
        break;
    }
  }
}

/**
 * deliverClaimed for many claimed messages at once, in one transaction: one statement locks
 * them all (subjects first, rows in id order), their posts go to Slack side by side, and one
 * statement records those Slack accepted; the claims were committed before, on their own. Each
 * message keeps deliverClaimed's guarantees, the lock is held from before its check to the
 * commit that records it. The cost of sharing: a failure of the transaction (a statement's
 * error, a deadlock, a crash) loses the record of every post in it, and each of those rows is
 * then recovered the way a crash's is (its next attempt finds the post in Slack's history).
 * A statement that fails while recording one row is that row's alone (savepoints): the others
 * are recorded, and that row's answer is the error, its post to be recovered like a crash's.
 * Answers one Delivery (or that error) per input, in order.
 */
export async function deliverBatch(db: Db, kinds: OutboxKinds, ds: readonly DeliveryInput[]): Promise<(Delivery | Error)[]> {
  return transaction(db, async (trx): Promise<(Delivery | Error)[]> => {
    const out: (Delivery | Error)[] = ds.map(() => ({ kind: 'lost' }));
    const locked = await lockAll(trx, kinds, ds);
    const toPost: { i: number; kind: OutboxKind<unknown>; row: OutboxRow; subject: unknown; late: boolean; message: Message }[] = [];
    for (const [i, d] of ds.entries()) {
      const kind = kindOf(kinds, d.kind);
      if (!kind) {
        out[i] = { kind: 'unknown_kind' };
        continue;
      }
      const l = locked.get(d.id);
      if (!l || l.row.state !== 'claimed' || l.row.claim_token !== d.claimToken) continue; // lost
      const { row, subject } = l;
      if (!kind.wanted(subject, row)) {
        await markCancelled(trx, row.id);
        out[i] = { kind: 'stale' };
        continue;
      }
      const late = d.now.getTime() - row.fire_at.getTime() > d.lateAfterMs;
      const message = await kind.render(trx, subject, row, { m: d.m, now: d.now, late, possibleRepeat: d.unverified });
      toPost.push({ i, kind, row, subject, late, message });
    }
    // A post that throws (the pacer's Redis failing) is treated as one that may have gone out.
    const posted = await Promise.all(
      toPost.map(({ i, row, message }) =>
        ds[i]!.via.post(row.channel, { ...message, outboxId: row.id, kind: row.kind }).catch((): PostOutcome => ({ kind: 'uncertain', code: 'post_failed' })),
      ),
    );
    // Recording, all at once under a savepoint; should a statement fail (one row's kind
    // refusing what it writes), again row by row, so that only that row is left unrecorded.
    // (A single row needs no savepoint: its error fails the transaction, as it always did.)
    const settled = toPost.map((t, k) => ({ ...t, posted: posted[k]! }));
    if (settled.length <= 1) {
      await record(trx, ds, settled, out);
      return out;
    }
    await sql`savepoint recording`.execute(trx);
    try {
      await record(trx, ds, settled, out);
      await sql`release savepoint recording`.execute(trx);
    } catch {
      await sql`rollback to savepoint recording`.execute(trx);
      for (const one of settled) {
        await sql`savepoint recording_one`.execute(trx);
        try {
          await record(trx, ds, [one], out);
          await sql`release savepoint recording_one`.execute(trx);
        } catch (err) {
          await sql`rollback to savepoint recording_one`.execute(trx);
          out[one.i] = err instanceof Error ? err : new Error(String(err));
        }
      }
    }
    return out;
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
