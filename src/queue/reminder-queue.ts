import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobs } from '../../jobs/index.js';
import type { Scheduled } from '../db/reminders.repo.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { ReminderScheduler } from '../services/reminder-scheduler.js';

export const REMINDER_QUEUE = 'reminders';
export const DELIVER = 'reminder.deliver';

/** One job per reminder row; the id makes a second add of the same reminder a no-op while the job exists. */
export const jobIdOf = (reminderId: number): string => `r${reminderId}`;

export function reminderQueue(redis: Redis, prefix: string): Queue {
  return new Queue(REMINDER_QUEUE, { connection: redis, prefix });
}

function jobOptions(reminderId: number, delay: number, now: number): JobsOptions {
  const def = jobs[DELIVER];
  return {
    jobId: jobIdOf(reminderId),
    // BullMQ fires at timestamp + delay: stamping the job with the same "now" the delay was
    // computed from keeps a slow bulk add from pushing every reminder in it later.
    timestamp: now,
    delay: Math.max(0, Math.round(delay)),
    attempts: def.attempts,
    backoff: def.backoff,
    // Completed jobs leave Redis at once: a sent reminder's row says so, and Redis stays small.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Delayed jobs computed from Postgres rows: delay = the row's time minus the app clock's now. */
export class BullReminderScheduler implements ReminderScheduler {
  constructor(
    readonly queue: Queue,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async add(rows: Scheduled[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const now = this.clock.now().getTime();
      const real = Date.now();
      await this.queue.addBulk(chunk.map((r) => ({ name: DELIVER, data: { reminderId: r.id, channel: r.channel }, opts: jobOptions(r.id, r.fire_at.getTime() - now, real) })));
    }
  }

  async schedule(rows: Scheduled[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.add(rows);
    } catch (err) {
      this.log.warn({ err: { name: (err as Error).name }, count: rows.length }, 'scheduling failed; the reconciler will catch up');
    }
  }

  async unschedule(ids: number[]): Promise<void> {
    for (const id of ids) {
      // A job that is running cannot be removed; it will find its row cancelled and post nothing.
      await this.queue.remove(jobIdOf(id)).catch(() => undefined);
    }
  }
}
