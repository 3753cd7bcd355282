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
}

/**
 * Records a request before it is acknowledged. 'duplicate' when the same request (Slack's
 * retry, a double click) is already here, whoever wrote it; a row this very call wrote on an
 * earlier try (the connection dropped before the answer came back) is recognised by its nonce.
 */
export async function admitRequest(db: Executor, r: NewInboxRow): Promise<{ id: number } | 'duplicate'> {
  const inserted = await db
    .insertInto('request_inbox')
    .values({ team_id: r.teamId, key: r.key, kind: r.kind, payload: JSON.stringify(r.payload), nonce: r.nonce, lease_until: sql<Date>`now() + ${`${r.leaseMs} milliseconds`}::interval` })
    .onConflict((oc) => oc.columns(['team_id', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted;
  const existing = await db.selectFrom('request_inbox').select(['id', 'nonce']).where('team_id', '=', r.teamId).where('key', '=', r.key).executeTakeFirst();
  return existing?.nonce === r.nonce ? { id: existing.id } : 'duplicate';
}

/** Extends the leases of rows this process is still working on, so nobody takes them over. */
export async function renewLeases(db: Executor, ids: number[], leaseMs: number): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('request_inbox')
    .set({ lease_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where('id', 'in', ids)
    .where('state', '=', 'received')
    .execute();
}

/** Hands rows back at once (a process shutting down before it finished them). */
export async function releaseLeases(db: Executor, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('request_inbox').set({ lease_until: sql<Date>`now()` }).where('id', 'in', ids).where('state', '=', 'received').execute();
}

export async function finishRequest(db: Executor, id: number, state: 'done' | 'failed'): Promise<void> {
  await db.updateTable('request_inbox').set({ state, finished_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * Takes over up to `limit` requests whose process died (lease over), oldest first, under a
 * new lease. SKIP LOCKED lets several processes sweep at once without taking the same row.
 */
export async function takeAbandoned(db: Executor, limit: number, leaseMs: number): Promise<InboxRow[]> {
  return db
    .updateTable('request_inbox')
    .set((eb) => ({ lease_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      db.selectFrom('request_inbox').select('id').where('state', '=', 'received').where('lease_until', '<', sql<Date>`now()`).orderBy('id').limit(limit).forUpdate().skipLocked(),
    )
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
