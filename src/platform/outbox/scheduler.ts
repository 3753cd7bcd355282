import type { Refresh, Scheduled } from './outbox.table.js';

/**
 * The schedule in Redis, as seen from the code that changes Postgres. Called after the
 * transaction commits; never throws: if Redis is unreachable the reconciler rebuilds the
 * missing jobs from Postgres, and a job that should not run finds its row cancelled.
 */
export interface OutboxScheduler {
  schedule(rows: Scheduled[]): Promise<void>;
  unschedule(ids: number[]): Promise<void>;
  /** Sent messages to bring up to date with their subject (see refresh.ts). */
  refresh(rows: Refresh[]): Promise<void>;
}

/** What a change did to the outbox: rows to enqueue, ids whose jobs can go. */
export interface ScheduleChange {
  add: Scheduled[];
  remove: number[];
  /** Sent messages the change made stale: updated once it commits. */
  refresh?: Refresh[];
}

export const noChange = (): ScheduleChange => ({ add: [], remove: [] });

export async function applySchedule(scheduler: OutboxScheduler, change: ScheduleChange): Promise<void> {
  await scheduler.unschedule(change.remove);
  await scheduler.schedule(change.add);
  if (change.refresh?.length) await scheduler.refresh(change.refresh);
}
