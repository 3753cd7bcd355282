import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { nextOccurrence } from '../../domain/recurrence.js';
import type { NewSchedule, ScheduleRow } from './schedules.table.js';

const recurrenceOf = (s: Pick<ScheduleRow, 'rule' | 'start_local' | 'time_zone'>) => ({ rule: s.rule, start: s.start_local, zone: s.time_zone });

/**
 * Creates the schedule, or brings an existing one (same key) in line with `s`: a changed rule,
 * zone or state takes effect from `now` (the next occurrence after it). Idempotent.
 */
export async function upsertSchedule(db: Executor, s: NewSchedule, now: Date): Promise<void> {
  const next = s.enabled === false ? null : (nextOccurrence(recurrenceOf(s), now) ?? null);
  await db
    .insertInto('schedules')
    .values({ ...s, next_run_at: next })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ rule: s.rule, start_local: s.start_local, time_zone: s.time_zone, enabled: s.enabled ?? true, next_run_at: next, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

/** Creates the schedule if no schedule has its key; one that exists is left as it is. */
export async function ensureSchedule(db: Executor, s: NewSchedule, now: Date): Promise<void> {
  const next = nextOccurrence(recurrenceOf(s), now) ?? null;
  await db.insertInto('schedules').values({ ...s, next_run_at: next }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

/** The next due schedule, locked for this transaction; others taking due schedules skip it. */
export function lockNextDue(trx: Executor, now: Date): Promise<ScheduleRow | undefined> {
  return trx
    .selectFrom('schedules')
    .selectAll()
    .where('enabled', '=', true)
    .where('suspended_at', 'is', null)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/**
 * Records that `occurrence` ran, and moves the schedule to its first occurrence after `now`:
 * after downtime, the missed occurrences are not run one by one.
 */
export async function markRan(trx: Executor, s: ScheduleRow, occurrence: Date, now: Date): Promise<Date | null> {
  const next = nextOccurrence(recurrenceOf(s), now) ?? null;
  await trx.updateTable('schedules').set({ last_occurrence: occurrence, last_run_at: now, next_run_at: next }).where('id', '=', s.id).execute();
  return next;
}

export function findSchedule(db: Executor, key: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('schedules').selectAll().where('key', '=', key).executeTakeFirst();
}

/**
 * The workspace uninstalled docket: its schedules stop (those of no team, such as housekeeping,
 * go on). Answers how many were suspended, by group.
 */
export async function suspendTeamSchedules(trx: Executor, teamId: string, now: Date): Promise<{ group_id: number | null }[]> {
  return trx.updateTable('schedules').set({ suspended_at: now, updated_at: now }).where('team_id', '=', teamId).where('suspended_at', 'is', null).returning('group_id').execute();
}

/**
 * Installed again: the workspace's schedules resume from `now` (their next occurrence after it;
 * those missed meanwhile are not run). Answers how many resumed, by group.
 */
export async function resumeTeamSchedules(trx: Executor, teamId: string, now: Date): Promise<{ group_id: number | null }[]> {
  const rows = await trx.selectFrom('schedules').selectAll().where('team_id', '=', teamId).where('suspended_at', 'is not', null).forUpdate().execute();
  for (const s of rows) {
    const next = s.enabled ? (nextOccurrence(recurrenceOf(s), now) ?? null) : s.next_run_at;
    await trx.updateTable('schedules').set({ suspended_at: null, next_run_at: next, updated_at: now }).where('id', '=', s.id).execute();
  }
  return rows.map((r) => ({ group_id: r.group_id }));
}
