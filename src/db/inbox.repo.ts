import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { InboxKind, InboxRow } from './inbox.table.js';

export interface NewInboxRow {
  teamId: string;
  key: string;
  kind: InboxKind;
  payload: unknown;
  nonce: string;
  leaseMs: number;
  /** The process that received it and holds its first lease; HANDED_OFF: whoever takes it first. */
  owner: string;
}

/**
 * The owner of a request its web process recorded for the workers to run: its lease is over
 * from the start, so the first taker gets it, and the taker tells it from an abandoned one.
 */
export const HANDED_OFF = 'handed-off';
/** The channel takers LISTEN on; each handed-off request is announced there when it is recorded. */
export const REQUESTS_CHANNEL = 'docket_requests';

const leaseFor = (ms: number) => sql<Date>`now() + ${`${ms} milliseconds`}::interval`;

/**
 * Records a request before it is acknowledged. 'duplicate' when the same request (Slack's
 * retry, a double click) is already here, whoever wrote it; a row this very call wrote on an
 * earlier try (the connection dropped before the answer came back) is recognised by its nonce.
 */
export async function admitRequest(db: Executor, r: NewInboxRow): Promise<{ id: number } | 'duplicate'> {
  const handedOff = r.owner === HANDED_OFF;
  const insert = db
    .insertInto('request_inbox')
    .values({ team_id: r.teamId, key: r.key, kind: r.kind, payload: JSON.stringify(r.payload), nonce: r.nonce, lease_until: leaseFor(handedOff ? -1 : r.leaseMs), lease_owner: r.owner })
    .onConflict((oc) => oc.columns(['team_id', 'key']).doNothing())
    .returning('id');
  // A handed-off request is announced in the same statement (delivered on its commit): no second round trip before the ack.
  const inserted = handedOff
    ? await db.with('ins', () => insert).selectFrom('ins').select(['ins.id', sql<string>`pg_notify(${REQUESTS_CHANNEL}, '')`.as('told')]).executeTakeFirst()
    : await insert.executeTakeFirst();
  if (inserted) return { id: inserted.id };
  const existing = await db.selectFrom('request_inbox').select(['id', 'nonce']).where('team_id', '=', r.teamId).where('key', '=', r.key).executeTakeFirst();
  return existing?.nonce === r.nonce ? { id: existing.id } : 'duplicate';
}

/**
 * Extends the leases of rows this process still holds and is working on, so nobody takes them
 * over. Answers the ids still held: one missing was taken over meanwhile (this process was too
 * slow to renew), and its work now belongs to another process.
 */
export async function renewLeases(db: Executor, ids: number[], leaseMs: number, owner: string): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('request_inbox')
    .set({ lease_until: leaseFor(leaseMs) })
    .where('id', 'in', ids)
    .where('state', '=', 'received')
    .where('lease_owner', '=', owner)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Hands rows back (shutdown before they started; a retry after the database came back): free after `afterMs`. */
export async function releaseLeases(db: Executor, ids: number[], owner: string, afterMs = 0): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('request_inbox')
    .set({ lease_until: leaseFor(afterMs), lease_owner: null })
    .where('id', 'in', ids)
    .where('state', '=', 'received')
    .where('lease_owner', '=', owner)
    .execute();
}

export async function finishRequest(db: Executor, id: number, state: 'done' | 'failed'): Promise<void> {
  await db.updateTable('request_inbox').set({ state, finished_at: sql<Date>`now()`, lease_owner: null }).where('id', '=', id).where('state', '=', 'received').execute();
}

/**
 * Takes up to `limit` requests whose lease is over, oldest first, under a new lease: those
 * whose process died, and those handed off to the workers (`handedOff`: never run yet, taken
 * as they come). SKIP LOCKED lets several processes take at once without taking the same row.
 */
export async function takeWaiting(db: Executor, o: { limit: number; leaseMs: number; owner: string; except: number[] }): Promise<(InboxRow & { handedOff: boolean })[]> {
  let pending = db.selectFrom('request_inbox').select(['id', 'lease_owner']).where('state', '=', 'received').where('lease_until', '<', sql<Date>`now()`);
  // Never this process's own work in progress, however late its renewal.
  if (o.except.length) pending = pending.where('id', 'not in', o.except);
  return db
    .with('pending', () => pending.orderBy('id').limit(o.limit).forUpdate().skipLocked())
    .updateTable('request_inbox')
    .from('pending')
    .set((eb) => ({ lease_until: leaseFor(o.leaseMs), lease_owner: o.owner, attempts: eb('request_inbox.attempts', '+', 1) }))
    .whereRef('request_inbox.id', '=', 'pending.id')
    .returningAll('request_inbox')
    .returning(sql<boolean>`pending.lease_owner is not distinct from ${HANDED_OFF}`.as('handedOff'))
    .execute();
}

/** Forgets finished requests older than `cutoff`, in bounded batches. */
export async function forgetInboxBefore(db: Executor, cutoff: Date, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db
      .deleteFrom('request_inbox')
      .where(sql<boolean>`ctid = any(array(${db.selectFrom('request_inbox').select(sql`ctid`.as('ctid')).where('received_at', '<', cutoff).where('state', '<>', 'received').limit(batch)}))`)
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    total += n;
    if (n < batch) return total;
  }
}

/** How many requests wait for a process to run them (handed off, or their process died). */
export async function countWaiting(db: Executor): Promise<number> {
  const r = await db.selectFrom('request_inbox').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'received').where('lease_until', '<', sql<Date>`now()`).executeTakeFirstOrThrow();
  return Number(r.n);
}
