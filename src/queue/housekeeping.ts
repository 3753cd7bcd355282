import { forgetClosedCaseTimelines, forgetRequestsBefore } from '../db/audit.repo.js';
import type { Executor } from '../db/database.js';
import { forgetInboxBefore } from '../db/inbox.repo.js';
import { forgetExpiredImports } from '../db/imports.repo.js';
import type { Logger } from '../logger.js';
import type { ScheduleKind } from '../platform/schedules/planner.js';

/**
 * Slack re-sends a request for a few minutes at most, and a double click or a double submit
 * comes within seconds; a week is far more than either needs, and short enough that the table
 * of handled-request keys stays small over years of use.
 */
export const REQUEST_KEY_RETENTION_MS = 7 * 24 * 3600_000;
/** A finished request in the inbox only has to outlive Slack's retries of it (minutes). */
export const INBOX_RETENTION_MS = 24 * 3600_000;
/** Closed cases whose timelines one pass removes at most; the rest wait for the next hour. */
export const TIMELINE_CASES_PER_PASS = 200;
const DAY_MS = 24 * 3600_000;

export interface HousekeepingOptions {
  /** Days a closed case's timeline outlives its last entry; undefined keeps it forever. */
  timelineRetentionDays: number | undefined;
}

/**
 * One clean-up pass; returns how many request keys were forgotten (finished inbox rows go too,
 * and closed cases' timelines past the retention, if one is set; each is logged). The hourly
 * `housekeeping` schedule runs it (migrations create the row); an occurrence runs once,
 * whichever worker takes it.
 */
export async function housekeep(db: Executor, now: Date, log: Logger, o: HousekeepingOptions = { timelineRetentionDays: undefined }): Promise<number> {
  const forgotten = await forgetRequestsBefore(db, new Date(now.getTime() - REQUEST_KEY_RETENTION_MS));
  const finished = await forgetInboxBefore(db, new Date(now.getTime() - INBOX_RETENTION_MS));
  const imports = await forgetExpiredImports(db, now);
  if (forgotten || finished || imports) log.info({ forgotten, finished, imports }, 'forgot old request keys');
  if (o.timelineRetentionDays !== undefined) {
    const entries = await forgetClosedCaseTimelines(db, new Date(now.getTime() - o.timelineRetentionDays * DAY_MS), TIMELINE_CASES_PER_PASS);
    if (entries) log.info({ entries, retentionDays: o.timelineRetentionDays }, 'forgot the timelines of cases closed past the retention');
  }
  return forgotten;
}

/** The schedule every deployment has: on the hour, whichever worker takes it. */
export const HOUSEKEEPING = { key: 'housekeeping', kind: 'housekeeping', team_id: null, group_id: null, rule: 'FREQ=HOURLY', start_local: '2026-01-01T00:00', time_zone: 'UTC' } as const;

export function housekeepingSchedule(o: HousekeepingOptions): ScheduleKind {
  return {
    async run(trx, _s, { now, log }) {
      await housekeep(trx, now, log, o);
      return [];
    },
  };
}
