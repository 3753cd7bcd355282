import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OutboxRow, Refresh } from './outbox.table.js';

/**
 * Keeping sent messages in line with their subject, in SQL (see refresh.ts for the why). A
 * sent row counts the changes to its subject since it was sent (`subject_version`) and knows
 * which of them its message in Slack shows (`shown_version`).
 */

/**
 * Of a subject's messages, the latest this many are updated after each change. The older ones
 * (a long-overdue item's daily reminders) are scrolled out of sight, and their buttons answer
 * from the item as it is; updating them all would spend Slack's update allowance on history.
 */
export const REFRESH_LATEST = 20;

/**
 * In the transaction that changes a subject (holding its lock): its sent messages fall one
 * change behind it. Answers what to update once the change commits, one refresh per message.
 */
export async function markStale(db: Executor, subject: { type: string; id: number }, at: Date): Promise<Refresh[]> {
  const rows = await db
    .updateTable('outbox')
    .set((eb) => ({ subject_version: eb('subject_version', '+', 1), stale_since: sql<Date>`coalesce(stale_since, ${at})` }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('subject_type', '=', subject.type)
        .where('subject_id', '=', subject.id)
        .where('state', '=', 'sent')
        .where('message_ts', 'is not', null)
        .where('update_error', 'is', null)
        .orderBy('id', 'desc')
        .limit(REFRESH_LATEST),
    )
    .returning(['id', 'subject_version'])
    .execute();
  return rows.map((r) => ({ id: r.id, version: r.subject_version }));
}

/** What a refresh job needs before it locks anything: the row's kind, where it went, the group's language. */
export type RefreshTarget = Pick<OutboxRow, 'id' | 'team_id' | 'kind' | 'channel' | 'state' | 'shown_version' | 'update_error'> & { groupLocale: string };

export async function refreshTarget(db: Executor, id: number): Promise<RefreshTarget | undefined> {
  const row = await db
    .selectFrom('outbox as o')
    .innerJoin('groups as g', 'g.id', 'o.group_id')
    .select(['o.id', 'o.team_id', 'o.kind', 'o.channel', 'o.state', 'o.shown_version', 'o.update_error', 'g.locale as groupLocale'])
    .where('o.id', '=', id)
    .executeTakeFirst();
  return row;
}

/** The message now shows its subject as of change `version` (read under the row's lock). */
export async function markShown(db: Executor, id: number, version: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      shown_version: sql<number>`greatest(shown_version, ${version})`,
      stale_since: eb.case().when('subject_version', '<=', version).then(null).else(eb.ref('stale_since')).end(),
    }))
    .where('id', '=', id)
    .execute();
}

/** Slack will never take an update of this message (deleted, channel archived…): leave it alone from now on. */
export async function markUnupdatable(db: Executor, id: number, code: string): Promise<void> {
  await db.updateTable('outbox').set({ update_error: code, stale_since: null }).where('id', '=', id).where('update_error', 'is', null).execute();
}

/** Stale messages that fell behind before `before` (and not before `since`): the reconciler's look for lost updates. */
export function staleRows(db: Executor, c: { before: Date; limit: number }): Promise<(Refresh & { stale_since: Date })[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'subject_version as version', 'stale_since'])
    .where(sql<boolean>`subject_version > shown_version`)
    .where('update_error', 'is', null)
    .where('stale_since', '<', c.before)
    .orderBy('stale_since')
    .limit(c.limit)
    .execute() as Promise<(Refresh & { stale_since: Date })[]>;
}
