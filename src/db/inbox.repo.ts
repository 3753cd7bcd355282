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
  /** The process that received it and holds its first lease. */
  owner: string;
}

const leaseFor = (ms: number) => sql<Date>`now() + ${`${ms} milliseconds`}::interval`;

/**
 * Records a request before it is acknowledged. 'duplicate' when the same request (Slack's
 * retry, a double click) is already here, whoever wrote it; a row this very call wrote on an
 * earlier try (the connection dropped before the answer came back) is recognised by its nonce.
 */
export async function admitRequest(db: Executor, r: NewInboxRow): Promise<{ id: number } | 'duplicate'> {
  const inserted = await db
    .insertInto('request_inbox')
    .values({ team_id: r.teamId, key: r.key, kind: r.kind, payload: JSON.stringify(r.payload), nonce: r.nonce, lease_until: leaseFor(r.leaseMs), lease_owner: r.owner })
    .onConflict((oc) => oc.columns(['team_id', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted;
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
 * Takes over up to `limit` requests whose process died (lease over), oldest first, under a
 * new lease. SKIP LOCKED lets several processes sweep at once without taking the same row.
 */
export async function takeAbandoned(db: Executor, o: { limit: number; leaseMs: number; owner: string; except: number[] }): Promise<InboxRow[]> {
  let pending = db.selectFrom('request_inbox').select('id').where('state', '=', 'received').where('lease_until', '<', sql<Date>`now()`);
  // Never this process's own work in progress, however late its renewal.
  if (o.except.length) pending = pending.where('id', 'not in', o.except);
  return db
    .updateTable('request_inbox')
    .set((eb) => ({ lease_until: leaseFor(o.leaseMs), lease_owner: o.owner, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', pending.orderBy('id').limit(o.limit).forUpdate().skipLocked())
    .returningAll()
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
