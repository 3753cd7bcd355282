import { sql } from 'kysely';
import type { AuditEvent } from './audit.table.js';
import type { Executor } from './database.js';

export interface NewAuditEvent {
  teamId: string;
  groupId: number;
  caseId?: number | null;
  actor: string;
  kind: string;
  before?: unknown;
  after?: unknown;
  /** Defaults to the transaction's now(); set for back-dated facts such as an arrest time. */
  at?: Date;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function recordEvent(db: Executor, e: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      team_id: e.teamId,
      group_id: e.groupId,
      case_id: e.caseId ?? null,
      actor_user_id: e.actor,
      kind: e.kind,
      before: json(e.before),
      after: json(e.after),
      ...(e.at ? { at: e.at } : {}),
    })
    .execute();
}

/** The latest `limit` events of a case by when they happened, latest first (entry order breaks ties). */
export function listCaseEvents(db: Executor, caseId: number, limit: number): Promise<AuditEvent[]> {
  return db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countCaseEvents(db: Executor, caseId: number): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Marks a Slack request (trigger id, view id, event id) as handled, inside the transaction
 * that makes its change. Returns false when it was handled already: a retry or a double
 * submit. A concurrent duplicate waits on the key until the first commits, then sees it.
 */
export async function claimRequest(db: Executor, teamId: string, key: string): Promise<boolean> {
  const row = await db
    .insertInto('processed_requests')
    .values({ team_id: teamId, key })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a change already claimed this request key (an earlier run of the request made it). */
export async function requestHandled(db: Executor, teamId: string, key: string): Promise<boolean> {
  return (await db.selectFrom('processed_requests').select('key').where('team_id', '=', teamId).where('key', '=', key).executeTakeFirst()) !== undefined;
}

/**
 * Forgets handled-request keys older than `cutoff`, `batch` rows per statement so a large
 * backlog never holds one long lock. Returns how many were removed.
 */
export async function forgetRequestsBefore(db: Executor, cutoff: Date, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db
      .deleteFrom('processed_requests')
      .where(sql<boolean>`ctid = any(array(${db.selectFrom('processed_requests').select(sql`ctid`.as('ctid')).where('created_at', '<', cutoff).limit(batch)}))`)
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Removes the timelines of closed cases none of whose entries was written since `cutoff`, at
 * most `maxCases` cases per call; answers how many entries went. The only way an entry ever
 * leaves the timeline: the database function raises the one flag its append-only guard lets
 * through, and the guard still checks each entry's case is closed (migration
 * 20261204T0100_timeline_retention).
 */
export async function forgetClosedCaseTimelines(db: Executor, cutoff: Date, maxCases = 200): Promise<number> {
  const { rows } = await sql<{ n: number }>`select forget_closed_case_timelines(${cutoff}, ${maxCases}) as n`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
