import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../../domain/clock.js';
import { LATE, within } from '../../lib/deadline.js';
import type { Logger } from '../../logger.js';
import type { Refresh, Scheduled } from './outbox.table.js';
import type { OutboxScheduler } from './scheduler.js';

export const OUTBOX_QUEUE = 'outbox';
export const DELIVER = 'outbox.deliver';
/** Brings a sent message up to date with its subject (chat.update). */
export const REFRESH = 'outbox.refresh';
const SCHEDULE_WAIT_MS = 2000;

/**
 * Transient failures (Slack 5xx, timeouts, network) back off 2 s, 4 s, … : about 4 minutes in
 * all. Waiting for a channel's turn or a 429 is not a failure and uses no attempt.
 */
export const DELIVERY_RETRY = { attempts: 8, backoff: { type: 'exponential', delay: 2000 } } as const;

/** One job per outbox row; the id makes a second add of the same row a no-op while the job exists. */
export const jobIdOf = (outboxId: number): string => `o${outboxId}`;

/**
 * One job per message and change: a change made while the last one's job is running gets a job
 * of its own (a shared id would be a no-op then, and the newer state might never be shown).
 */
export const refreshJobIdOf = (r: Refresh): string => `u${r.id}-${r.version}`;

export function outboxQueue(redis: Redis, prefix: string): Queue {
  const queue = new Queue(OUTBOX_QUEUE, { connection: redis, prefix });
  queue.on('error', () => undefined); // Redis reconnects on its own; the reconciler repairs what was missed
  return queue;
}

function jobOptions(outboxId: number, delay: number, now: number): JobsOptions {
  const def = DELIVERY_RETRY;
  return {
    jobId: jobIdOf(outboxId),
    // BullMQ fires at timestamp + delay: stamping the job with the same "now" the delay was
    // computed from keeps a slow bulk add from pushing every message in it later.
    timestamp: now,
    delay: Math.max(0, Math.round(delay)),
    attempts: def.attempts,
    backoff: def.backoff,
    // Completed jobs leave Redis at once: a sent message's row says so, and Redis stays small.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Delayed jobs computed from Postgres rows: delay = the row's time minus the app clock's now. */
export class BullOutboxScheduler implements OutboxScheduler {
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
      await this.queue.addBulk(chunk.map((r) => ({ name: DELIVER, data: { outboxId: r.id, channel: r.channel }, opts: jobOptions(r.id, r.fire_at.getTime() - now, real) })));
    }
  }

  /**
   * Never waits long: with Redis down, BullMQ would wait for it to come back, holding the
   * request that made the change. Rows not enqueued in time are the reconciler's to enqueue.
   */
  async schedule(rows: Scheduled[]): Promise<void> {
    if (rows.length === 0) return;
    const done = await within(this.add(rows), SCHEDULE_WAIT_MS).catch((err: unknown) => {
      this.log.warn({ err: { name: (err as Error).name }, count: rows.length }, 'scheduling failed; the reconciler will catch up');
      return undefined;
    });
    if (done === LATE) this.log.warn({ count: rows.length }, 'scheduling is slow; the reconciler will catch up');
  }

  async addRefreshes(rows: Refresh[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await this.queue.addBulk(
        chunk.map((r) => ({
          name: REFRESH,
          data: { outboxId: r.id, version: r.version },
          opts: { jobId: refreshJobIdOf(r), attempts: DELIVERY_RETRY.attempts, backoff: DELIVERY_RETRY.backoff, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
        })),
      );
    }
  }

  /** Like schedule(): never waits long; what is not enqueued the reconciler finds stale and enqueues. */
  async refresh(rows: Refresh[]): Promise<void> {
    if (rows.length === 0) return;
    const done = await within(this.addRefreshes(rows), SCHEDULE_WAIT_MS).catch((err: unknown) => {
      this.log.warn({ err: { name: (err as Error).name }, count: rows.length }, 'enqueueing updates failed; the reconciler will catch up');
      return undefined;
    });
    if (done === LATE) this.log.warn({ count: rows.length }, 'enqueueing updates is slow; the reconciler will catch up');
  }

  async unschedule(ids: number[]): Promise<void> {
    // A job that is running cannot be removed, nor one Redis cannot be reached for: it will find its row cancelled and post nothing.
    const removing = Promise.all(ids.map((id) => this.queue.remove(jobIdOf(id)).catch(() => undefined)));
    if ((await within(removing, SCHEDULE_WAIT_MS)) === LATE) this.log.warn({ count: ids.length }, 'unscheduling is slow; the jobs will find their rows cancelled');
  }
}
