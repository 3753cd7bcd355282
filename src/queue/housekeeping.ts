import { forgetRequestsBefore } from '../db/audit.repo.js';
import { forgetInboxBefore } from '../db/inbox.repo.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import { Periodic } from '../lib/periodic.js';
import type { Logger } from '../logger.js';

/**
 * Slack re-sends a request for a few minutes at most, and a double click or a double submit
 * comes within seconds; a week is far more than either needs, and short enough that the table
 * of handled-request keys stays small over years of use.
 */
export const REQUEST_KEY_RETENTION_MS = 7 * 24 * 3600_000;
/** A finished request in the inbox only has to outlive Slack's retries of it (minutes). */
export const INBOX_RETENTION_MS = 24 * 3600_000;

export interface HousekeepingOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  intervalMs: number;
}

/**
 * Periodic clean-up that needs no exactness: each worker process runs it on a timer (an
 * unlucky overlap between two processes only deletes the same old rows twice). Kept out of
 * Redis on purpose, like the reconciler, so it runs whatever happened to Redis.
 */
export class Housekeeping {
  private readonly periodic: Periodic;

  constructor(private readonly o: HousekeepingOptions) {
    this.periodic = new Periodic('housekeeping', o.intervalMs, () => this.runOnce(), o.log);
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass; returns how many request keys were forgotten (finished inbox rows go too, and are logged). */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now().getTime();
    const forgotten = await forgetRequestsBefore(this.o.db, new Date(now - REQUEST_KEY_RETENTION_MS));
    const finished = await forgetInboxBefore(this.o.db, new Date(now - INBOX_RETENTION_MS));
    if (forgotten || finished) this.o.log.info({ forgotten, finished }, 'forgot old request keys');
    return forgotten;
  }
}
