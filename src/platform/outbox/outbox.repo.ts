import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import type { NewOutboxRow, OutboxRow, OutboxState, Scheduled } from './outbox.table.js';

/**
 * The outbox's state machine in SQL, one operation each. Nothing here knows any kind: what a
 * message is about, and whether it is still wanted, is the kind's (kinds.ts).
 */

/** Inserts planned messages; one already planned under the same dedupe key is kept, not doubled. */
export async function insertOutbox(db: Executor, rows: NewOutboxRow[]): Promise<Scheduled[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('outbox')
    .values(rows.map(({ payload, ...r }) => ({ ...r, payload: payload === undefined ? null : JSON.stringify(payload) })))
    .onConflict((oc) => oc.column('dedupe_key').where('state', '<>', 'cancelled').doNothing())
    .returning(['id', 'fire_at', 'channel'])
    .execute();
}

export type LiveRow = Pick<OutboxRow, 'id' | 'kind' | 'channel' | 'fire_at' | 'dedupe_key'>;

/** A subject's messages that have not gone out (pending, or claimed and maybe going out now). */
export function liveOf(db: Executor, subject: { type: string; id: number }): Promise<LiveRow[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'kind', 'channel', 'fire_at', 'dedupe_key'])
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('state', 'in', ['pending', 'claimed'])
    .orderBy('id')
    .execute();
}

/**
 * Cancels these messages if they have not gone out, in the transaction that changes their
 * subject; answers the ids it cancelled. A claimed one is cancelled too: its worker re-reads
 * the row under lock before posting.
 */
export async function cancelRows(db: Executor, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('outbox')
    .set({ state: 'cancelled', lease_until: null })
    .where('id', 'in', [...ids])
    .where('state', 'in', ['pending', 'claimed'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Cancels every message of this subject that has not gone out, in one statement (see cancelRows); answers their ids. */
export async function cancelLiveOf(db: Executor, subject: { type: string; id: number }): Promise<number[]> {
  const rows = await db
    .updateTable('outbox')
    .set({ state: 'cancelled', lease_until: null })
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('state', 'in', ['pending', 'claimed'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export function findOutboxRow(db: Executor, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface Claim {
  row: OutboxRow;
  /** `claimed`: an earlier attempt's lease ran out; it may have posted before dying. */
  previous: OutboxState;
  /** The earlier claim's lease: a post we may have to look for was made before it. */
  previousLease: Date | null;
  /** Language of the group's posts: the reader's when the message goes to a channel, the fallback for a DM. */
  groupLocale: string;
}

/** What one claimer asks for: the next message of `channel` due by `dueBy`, under its own token. */
export interface ClaimRequest {
  channel: string;
  dueBy: Date;
  token: string;
}

/**
 * Check-and-set, in one statement: takes the channel's oldest row due by `dueBy`, pending or
 * with a claim whose lease ran out. A job that got the channel's turn posts whichever message
 * is next, not necessarily its own, so a channel's messages go out in the order they were
 * written (six cases opened at once are announced in the order of their references, whatever
 * order their jobs run in). SKIP LOCKED lets two claimers take two rows. The claim commits on its own, before anything is posted, so that a crash after
 * posting leaves evidence that a post may exist.
 */
export async function claimNext(db: Executor, c: ClaimRequest & { leaseMs: number }): Promise<Claim | undefined> {
  return (await claimMany(db, [c], c.leaseMs))[0];
}

/**
 * claimNext for many claimers in one statement (and one commit): answers, in request order,
 * each one's claim, or undefined when its channel had nothing for it. Requests must name
 * distinct channels: two for one channel would both see its oldest row (a statement does not
 * skip its own locks), and one of them would get nothing.
 */
export async function claimMany(db: Executor, reqs: readonly ClaimRequest[], leaseMs: number): Promise<(Claim | undefined)[]> {
  if (reqs.length === 0) return [];
  const { rows } = await sql<OutboxRow & { n: number; previous: OutboxState; previous_lease: Date | null; g_locale: string }>`
    with req as (
      select * from unnest(${reqs.map((r) => r.channel)}::text[], ${reqs.map((r) => r.dueBy.toISOString())}::timestamptz[], ${reqs.map((r) => r.token)}::text[])
             with ordinality as r(channel, due_by, token, n)
    ), pick as (
      select r.n, r.token, p.id, p.state, p.lease_until
        from req r
        cross join lateral (
          select id, state, lease_until from outbox
           where channel = r.channel and fire_at <= r.due_by
             and (state = 'pending' or (state = 'claimed' and lease_until < now()))
           order by id
           limit 1
           for update skip locked
        ) p
    )
    update outbox o
       set state = 'claimed', claim_token = pick.token, attempts = o.attempts + 1,
           lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      from pick, groups g
     where o.id = pick.id and g.id = o.group_id
    returning o.*, pick.n, pick.state as previous, pick.lease_until as previous_lease, g.locale as g_locale`.execute(db);
  const out: (Claim | undefined)[] = new Array<Claim | undefined>(reqs.length).fill(undefined);
  for (const { n, previous, previous_lease, g_locale, ...outbox } of rows) {
    out[Number(n) - 1] = { row: outbox, previous, previousLease: previous_lease, groupLocale: g_locale };
  }
  return out;
}

const OUTBOX_COLUMNS = [
  'id', 'team_id', 'group_id', 'kind', 'subject_type', 'subject_id', 'dedupe_key', 'payload', 'fire_at', 'channel', 'state', 'attempts', 'claim_token',
  'lease_until', 'sent_at', 'message_channel', 'message_ts', 'late', 'error', 'created_at', 'history_failures', 'possible_repeat',
  'subject_version', 'shown_version', 'stale_since', 'update_error',
] as const;

/** `o.id as o__id, …`: for a kind's lock statement, which selects its subject's columns beside the row's. */
export function outboxColumns(alias: string): RawBuilder<unknown> {
  return sql.raw(OUTBOX_COLUMNS.map((c) => `${alias}.${c} as o__${c}`).join(', '));
}

/** Splits a row selected with outboxColumns into the outbox row and the rest. */
export function splitOutbox<R extends Record<string, unknown>>(row: R): { outbox: OutboxRow; rest: Record<string, unknown> } {
  const outbox: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('o__')) outbox[k.slice(3)] = v;
    else rest[k] = v;
  }
  return { outbox: outbox as unknown as OutboxRow, rest };
}

/** For kinds whose subject needs no lock: the row alone, FOR UPDATE. */
export function lockOutboxRow(db: Executor, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

type Owned = { id: number; token: string };

export interface SentRecord {
  channel: string;
  ts: string;
  late: boolean;
  at: Date;
  possibleRepeat?: boolean;
}

/** markSent for many rows in one statement: answers the ids recorded (those still claimed under their token). */
export async function markSentMany(db: Executor, rows: readonly (Owned & SentRecord)[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const { rows: done } = await sql<{ id: number }>`
    update outbox o
       set state = 'sent', message_channel = v.channel, message_ts = v.ts, late = v.late, sent_at = v.at,
           lease_until = null, error = null, possible_repeat = v.possible_repeat
      from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.token)}::text[], ${rows.map((r) => r.channel)}::text[], ${rows.map((r) => r.ts)}::text[],
                  ${rows.map((r) => r.late)}::bool[], ${rows.map((r) => r.at.toISOString())}::timestamptz[], ${rows.map((r) => r.possibleRepeat ?? false)}::bool[])
           as v(id, token, channel, ts, late, at, possible_repeat)
     where o.id = v.id and o.claim_token = v.token and o.state = 'claimed'
    returning o.id`.execute(db);
  return new Set(done.map((r) => Number(r.id)));
}

export async function markSent(db: Executor, c: Owned, sent: { channel: string; ts: string; late: boolean; at: Date; possibleRepeat?: boolean }): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ state: 'sent', message_channel: sent.channel, message_ts: sent.ts, late: sent.late, sent_at: sent.at, lease_until: null, error: null, possible_repeat: sent.possibleRepeat ?? false })
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The attempt did not post (a definite refusal): the message is pending again. */
export async function releaseClaim(db: Executor, c: Owned, error: string | null): Promise<void> {
  await db
    .updateTable('outbox')
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
export async function yieldClaim(db: Executor, c: Owned, previous: OutboxState): Promise<void> {
  if (previous === 'claimed') await expireClaim(db, c, null);
  else await releaseClaim(db, c, null);
}

/**
 * The attempt may or may not have posted (a timeout): keep the claim, but let the next attempt
 * check at once, or only after `afterMs` (Slack's Retry-After: no other attempt may ask sooner).
 */
export async function expireClaim(db: Executor, c: Owned, error: string | null, afterMs = 0): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${afterMs / 1000})`, error })
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
    .updateTable('outbox')
    .set((eb) => ({ history_failures: eb('history_failures', '+', 1), lease_until: sql<Date>`now()`, error }))
    .where('id', '=', c.id)
    .where('claim_token', '=', c.token)
    .where('state', '=', 'claimed')
    .returning('history_failures')
    .executeTakeFirst();
  return row?.history_failures;
}

/** Gives a message up for good; with `dueBefore`, only one that was due before then. */
export async function markFailed(db: Executor, id: number, error: string, dueBefore?: Date): Promise<void> {
  let q = db.updateTable('outbox').set({ state: 'failed', lease_until: null, error }).where('id', '=', id).where('state', 'in', ['pending', 'claimed']);
  if (dueBefore) q = q.where('fire_at', '<', dueBefore);
  await q.execute();
}

export async function markCancelled(db: Executor, id: number): Promise<void> {
  await db.updateTable('outbox').set({ state: 'cancelled', lease_until: null }).where('id', '=', id).where('state', 'in', ['pending', 'claimed']).execute();
}

/** Messages still to go out, in id order, a page at a time (the reconciler's full rebuild). */
export function liveRows(db: Executor, afterId: number, limit: number): Promise<Scheduled[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'fire_at', 'channel'])
    .where('state', 'in', ['pending', 'claimed'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Messages that should have gone out by `before` and are not in flight: the reconciler's quick pass. */
export function overdueRows(db: Executor, before: Date, limit: number): Promise<Scheduled[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'fire_at', 'channel'])
    .where('fire_at', '<', before)
    .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'claimed'), eb('lease_until', '<', sql<Date>`now()`)])]))
    .orderBy('fire_at')
    .limit(limit)
    .execute();
}

/**
 * How many messages have not gone out, by kind and state, and how long the oldest due one has
 * waited (seconds by `now`, the app's clock): for /metrics. Reads the live rows only (a partial
 * index covers them), with its own statement timeout, so a scrape never holds a connection long.
 */
export async function outboxDepth(db: Db, now: Date, timeoutMs: number): Promise<{ kind: string; state: string; count: number; overdueSeconds: number }[]> {
  return transaction(db, async (trx) => {
    await sql`select set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true)`.execute(trx);
    const { rows } = await sql<{ kind: string; state: string; count: number; overdue: number | string | null }>`
      select kind, state, count(*)::int as count,
             extract(epoch from (${now}::timestamptz - min(fire_at) filter (where fire_at <= ${now}::timestamptz)))::float8 as overdue
        from outbox
       where state in ('pending', 'claimed')
       group by kind, state`.execute(trx);
    return rows.map((r) => ({ kind: r.kind, state: r.state, count: r.count, overdueSeconds: Math.max(0, Number(r.overdue ?? 0)) }));
  });
}

/**
 * The workspace uninstalled docket (or revoked its token): none of its messages will go out.
 * Those not sent fail with `reason` (a job that wakes for one finds nothing to claim); sent
 * ones behind their subject are no longer updated. Nothing of another team is touched.
 * Answers the failed rows' groups, one entry per row.
 */
export async function failTeamMessages(trx: Executor, teamId: string, reason: string): Promise<{ group_id: number }[]> {
  const failed = await trx
    .updateTable('outbox')
    .set({ state: 'failed', lease_until: null, error: reason })
    .where('team_id', '=', teamId)
    .where('state', 'in', ['pending', 'claimed'])
    .returning('group_id')
    .execute();
  await trx
    .updateTable('outbox')
    .set({ update_error: reason })
    .where('team_id', '=', teamId)
    .where('state', '=', 'sent')
    .where('update_error', 'is', null)
    .whereRef('subject_version', '>', 'shown_version')
    .execute();
  return failed;
}

/**
 * Installed again: what the uninstall held back (`reasons`) and is still ahead of `now` goes
 * out after all, and sent messages may be brought up to date again. Messages whose time passed
 * meanwhile stay failed: they would arrive out of time. Answers the rows to enqueue.
 */
export async function restoreTeamMessages(trx: Executor, teamId: string, reasons: readonly string[], now: Date): Promise<(Scheduled & { group_id: number })[]> {
  if (reasons.length === 0) return [];
  const rows = await trx
    .updateTable('outbox')
    .set({ state: 'pending', error: null, claim_token: null, lease_until: null })
    .where('team_id', '=', teamId)
    .where('state', '=', 'failed')
    .where('error', 'in', [...reasons])
    .where('fire_at', '>', now)
    .returning(['id', 'fire_at', 'channel', 'group_id'])
    .execute();
  await trx.updateTable('outbox').set({ update_error: null }).where('team_id', '=', teamId).where('state', '=', 'sent').where('update_error', 'in', [...reasons]).execute();
  return rows;
}
