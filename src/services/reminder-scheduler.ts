import type { Scheduled } from '../db/reminders.repo.js';

/**
 * The schedule in Redis, as seen from the code that changes Postgres. Called after the
 * transaction commits; never throws: if Redis is unreachable the reconciler rebuilds the
 * missing jobs from Postgres, and a job that should not run finds its row cancelled.
 */
export interface ReminderScheduler {
  schedule(rows: Scheduled[]): Promise<void>;
  unschedule(ids: number[]): Promise<void>;
}

/** What a change did to an item's reminders: rows to enqueue, ids whose jobs can go. */
export interface ScheduleChange {
  add: Scheduled[];
  remove: number[];
}

export async function applySchedule(scheduler: ReminderScheduler, change: ScheduleChange): Promise<void> {
  await scheduler.unschedule(change.remove);
  await scheduler.schedule(change.add);
}
