import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/clock.js';
import { Periodic } from '../../lib/periodic.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { liveRows, overdueRows } from './outbox.repo.js';
import { jobIdOf, refreshJobIdOf, type BullOutboxScheduler } from './queue.js';
import { markUnupdatable, staleRows } from './refresh.repo.js';

/**
 * Keeps Redis's schedule in line with Postgres. It runs as a timer in each worker process,
 * not as a BullMQ repeatable job, because it must survive Redis losing everything.
 *
 * - A marker key says "this Redis holds the schedule". When it is missing (Redis was flushed
 *   or replaced, or this is the first start), every live message is enqueued again from
 *   Postgres, then the marker is set. Jobs that still exist are left alone (same job id).
 * - Each pass also re-enqueues messages that should have gone out a while ago and have no
 *   live job: an enqueue lost after a commit, a job that failed while its row stayed pending.
 * A message whose time passed while it was missing is then sent at once and marked late.
 * - Likewise, a sent message left stale by a change a while ago with no live job to update it
 *   (see refresh.ts) gets its job again; a day behind, it is given up.
 * A Redis lock keeps several workers from doing the same pass at the same time.
 */
export interface ReconcilerOptions {
  db: Db;
  redis: Redis;
  scheduler: BullOutboxScheduler;
  queue: Queue;
  clock: Clock;
  log: Logger;
  prefix: string;
  intervalMs: number;
  /** A pending message this far past its time without having gone out counts as lost. */
  graceMs?: number;
  metrics?: Metrics;
}

const PAGE = 1000;
/** A sent message still not updated this long after its subject changed is left as it is. */
export const REFRESH_GIVE_UP_MS = 24 * 3600_000;

const LIVE = new Set(['delayed', 'waiting', 'active', 'prioritized', 'waiting-children']);

export class Reconciler {
  private readonly periodic: Periodic;
  private readonly marker: string;
  private readonly lock: string;

  constructor(private readonly o: ReconcilerOptions) {
    this.marker = `${o.prefix}:outbox:schedule-epoch`;
    this.lock = `${o.prefix}:outbox:reconcile-lock`;
    this.periodic = new Periodic('reconcile', o.intervalMs, () => this.runOnce(), o.log);
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass; returns how many messages were (re-)enqueued, and how many updates of sent ones. */
  async runOnce(): Promise<{ rebuilt: number; revived: number; refreshes: number } | undefined> {
    const token = randomUUID();
    const got = await this.o.redis.set(this.lock, token, 'PX', Math.max(60_000, this.o.intervalMs * 3), 'NX');
    if (got !== 'OK') return undefined;
    try {
      const lost = !(await this.o.redis.exists(this.marker));
      const rebuilt = lost ? await this.rebuild() : 0;
      if (lost) this.o.metrics?.reconcilerRebuilds.inc();
      const revived = await this.revive();
      const refreshes = await this.reviveRefreshes();
      const requeued = this.o.metrics?.reconcilerRequeued;
      requeued?.inc({ reason: 'rebuilt' }, rebuilt);
      requeued?.inc({ reason: 'revived' }, revived);
      requeued?.inc({ reason: 'refresh' }, refreshes);
      if (rebuilt || revived || refreshes) this.o.log.info({ rebuilt, revived, refreshes }, 'reconciled outbox');
      return { rebuilt, revived, refreshes };
    } finally {
      // Release only our own lock (a slow pass may have outlived it).
      await this.o.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, this.lock, token);
    }
  }

  private async rebuild(): Promise<number> {
    let after = 0;
    let total = 0;
    for (;;) {
      const rows = await liveRows(this.o.db, after, PAGE);
      if (rows.length === 0) break;
      await this.o.scheduler.add(rows);
      total += rows.length;
      after = rows.at(-1)!.id;
    }
    await this.o.redis.set(this.marker, new Date().toISOString());
    return total;
  }

  private async revive(): Promise<number> {
    const cutoff = new Date(this.o.clock.now().getTime() - (this.o.graceMs ?? 30_000));
    const rows = await overdueRows(this.o.db, cutoff, 500);
    const missing = [];
    for (const r of rows) {
      const job = await this.o.queue.getJob(jobIdOf(r.id));
      const state = job ? await job.getState() : 'missing';
      if (LIVE.has(state)) continue;
      if (job) await job.remove().catch(() => undefined);
      missing.push(r);
    }
    await this.o.scheduler.add(missing);
    return missing.length;
  }

  /** Stale sent messages whose update job is gone (or failed for good): enqueued again. */
  private async reviveRefreshes(): Promise<number> {
    const now = this.o.clock.now().getTime();
    const rows = await staleRows(this.o.db, { before: new Date(now - (this.o.graceMs ?? 30_000)), limit: 500 });
    const missing = [];
    for (const r of rows) {
      const job = await this.o.queue.getJob(refreshJobIdOf(r));
      const state = job ? await job.getState() : 'missing';
      if (LIVE.has(state)) continue;
      if (r.stale_since.getTime() < now - REFRESH_GIVE_UP_MS) {
        await markUnupdatable(this.o.db, r.id, 'gave_up');
        continue;
      }
      if (job) await job.remove().catch(() => undefined);
      missing.push(r);
    }
    await this.o.scheduler.addRefreshes(missing.map(({ id, version }) => ({ id, version })));
    return missing.length;
  }
}
