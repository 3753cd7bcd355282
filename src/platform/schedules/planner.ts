import type { Db, Trx } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import type { Clock } from '../../domain/clock.js';
import { Periodic } from '../../lib/periodic.js';
import type { Logger } from '../../logger.js';
import { kindLabel, type Metrics } from '../../lib/metrics.js';
import type { Scheduled } from '../outbox/outbox.table.js';
import type { OutboxScheduler } from '../outbox/scheduler.js';
import { lockNextDue, markRan } from './schedules.repo.js';
import type { ScheduleRow } from './schedules.table.js';

/** What an occurrence of a kind of schedule does, inside the transaction that records it ran. */
export interface ScheduleKind {
  /** Work for this occurrence; the outbox rows it wrote are enqueued once it commits. */
  run(trx: Trx, s: ScheduleRow, o: { occurrence: Date; now: Date; log: Logger }): Promise<Scheduled[]>;
}
export type ScheduleKinds = Readonly<Record<string, ScheduleKind>>;

export interface PlannerOptions {
  db: Db;
  kinds: ScheduleKinds;
  clock: Clock;
  log: Logger;
  outbox: OutboxScheduler;
  intervalMs: number;
  metrics?: Metrics;
}

/** At most this many occurrences per pass: one busy pass never starves the rest of the worker. */
const PER_PASS = 100;

/**
 * Turns due occurrences into work, exactly once each. Every worker process runs it on a timer
 * (kept out of Redis, like the reconciler, so it survives Redis losing everything). Each
 * occurrence is one transaction: lock the schedule (SKIP LOCKED: two workers take two
 * schedules), do the kind's work, record it and move `next_run_at` past now. A crash before
 * COMMIT leaves the occurrence due; after it, done.
 */
export class SchedulePlanner {
  private readonly periodic: Periodic;

  constructor(private readonly o: PlannerOptions) {
    this.periodic = new Periodic('schedules', o.intervalMs, () => this.runOnce(), o.log);
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Runs what is due now; answers how many occurrences ran. */
  async runOnce(): Promise<number> {
    let ran = 0;
    while (ran < PER_PASS && (await this.runOne())) ran++;
    return ran;
  }

  private async runOne(): Promise<boolean> {
    const now = this.o.clock.now();
    const done = await transaction(this.o.db, async (trx) => {
      const s = await lockNextDue(trx, now);
      if (!s) return undefined;
      const occurrence = s.next_run_at!;
      const kind = Object.hasOwn(this.o.kinds, s.kind) ? this.o.kinds[s.kind] : undefined;
      // A kind no deploy registers any more: skip its occurrence rather than retry it forever.
      const rows = kind ? await kind.run(trx, s, { occurrence, now, log: this.o.log }) : [];
      const next = await markRan(trx, s, occurrence, now);
      return { s, occurrence, next, rows, known: kind !== undefined };
    });
    if (!done) return false;
    this.o.metrics?.scheduleRuns.inc({ kind: done.known ? kindLabel(done.s.kind) : 'unknown' });
    await this.o.outbox.schedule(done.rows);
    this.o.log.info({ schedule: done.s.key, occurrence: done.occurrence.toISOString(), next: done.next?.toISOString() ?? null, planned: done.rows.length, ...(done.known ? {} : { unknownKind: done.s.kind }) }, 'schedule ran');
    return true;
  }
}
