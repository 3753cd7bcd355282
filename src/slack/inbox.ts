import { randomUUID } from 'node:crypto';
import type { RequestConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { dbFault } from '../db/errors.js';
import { admitRequest, finishRequest, releaseLeases, renewLeases, takeAbandoned } from '../db/inbox.repo.js';
import { Limiter } from '../lib/limiter.js';
import { Periodic } from '../lib/periodic.js';
import type { Logger } from '../logger.js';
import { intakeSchema, requestKeyOf, type Intake } from './intake.js';

/**
 * Acknowledged means kept. Each Slack request is written to Postgres before its ack, worked
 * (at most `concurrency` at once) under a lease this process renews, and marked done once
 * answered. A row whose lease lapsed (its process died) is taken over by any web process and
 * answered late; the change it asks for is claimed by its request key in the change's own
 * transaction, so running it a second time changes nothing.
 *
 * Too much waiting, or no database to write to, and the request is refused at once with a
 * reply saying so: a bounded queue, never an ack for something docket could lose.
 */
export type Admission =
  | { kind: 'admitted'; id: number }
  /** The same request is already in the inbox (Slack's retry, a double send). */
  | { kind: 'duplicate' }
  | { kind: 'busy' }
  /** Not recorded. `certain`: it surely was not (refused at connect); else it might have been. */
  | { kind: 'unavailable'; certain: boolean };

export interface Run {
  late: boolean;
  /** Work already done before the ack (a form's checks), when this process received it. */
  prepared?: unknown;
  /** Out of time: tell the person it was not carried out. */
  giveUp?: boolean;
}

/** 'retry': the database went away; leave the request for a later attempt. */
export type Execute = (intake: Intake, run: Run) => Promise<'done' | 'retry'>;

export interface InboxOptions {
  /** A pool of its own, so recording a request never waits behind busy handlers. */
  db: Db;
  log: Logger;
  config: RequestConfig;
  execute: Execute;
  /** After this long a kept request is given up (the person is told); response_urls last 30 minutes. */
  maxAgeMs?: number;
}

const TAKEOVER_BATCH = 50;

export class Inbox {
  private readonly limiter: Limiter;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly sweeper: Periodic;
  private readonly renewer: Periodic;
  private closing = false;

  constructor(private readonly o: InboxOptions) {
    this.limiter = new Limiter(o.config.concurrency);
    this.sweeper = new Periodic('inbox sweep', o.config.sweepMs, () => this.sweep(), o.log);
    this.renewer = new Periodic('inbox lease renewal', Math.max(100, Math.floor(o.config.leaseMs / 3)), () => renewLeases(o.db, [...this.inFlight.keys()], o.config.leaseMs), o.log);
  }

  start(): void {
    this.sweeper.start();
    this.renewer.start();
  }

  /** Requests this process is working on or holding in its queue. */
  get load(): { running: number; queued: number } {
    return { running: this.limiter.running, queued: this.limiter.queued };
  }

  async admit(intake: Intake): Promise<Admission> {
    if (this.closing || this.limiter.queued >= this.o.config.queueMax) return { kind: 'busy' };
    const nonce = randomUUID();
    const row = { teamId: intake.teamId, key: requestKeyOf(intake), kind: intake.kind, payload: intake, nonce, leaseMs: this.o.config.leaseMs };
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await admitRequest(this.o.db, row);
        return r === 'duplicate' ? { kind: 'duplicate' } : { kind: 'admitted', id: r.id };
      } catch (err) {
        const fault = dbFault(err);
        // A pooled connection the server closed while idle fails fast: one more try on a fresh one.
        if (fault === 'unknown' && attempt === 1 && Date.now() - started < 500) continue;
        this.o.log.warn({ key: row.key, code: (err as { code?: string }).code ?? fault ?? 'error' }, 'request not recorded');
        return { kind: 'unavailable', certain: fault !== 'unknown' };
      }
    }
  }

  /** Works an admitted request within the concurrency limit; resolves once it is answered (or kept for later). */
  process(id: number, intake: Intake, run: Run): Promise<void> {
    const work = this.limiter
      .run(async () => {
        let outcome: 'done' | 'retry' | 'failed';
        try {
          outcome = await this.o.execute(intake, run);
          if (run.giveUp) outcome = 'failed';
        } catch (err) {
          // A fault in docket itself: retrying the same request would fail the same way.
          this.o.log.error({ key: requestKeyOf(intake), err: { name: (err as Error).name, message: (err as Error).message } }, 'request failed');
          outcome = 'failed';
        }
        if (outcome === 'retry') return; // the lease lapses and a sweep takes it up again
        const key = requestKeyOf(intake);
        await finishRequest(this.o.db, id, outcome === 'failed' ? 'failed' : 'done').catch((err: unknown) =>
          // Answered but not marked: a later sweep runs it again, and its change is claimed already.
          this.o.log.warn({ key, code: (err as { code?: string }).code ?? 'error' }, 'request not marked done'),
        );
        // The last log line of every request; tests wait for it instead of sleeping.
        this.o.log.debug({ key }, 'done');
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, work);
    return work;
  }

  /** Takes over requests whose process died, as many as there is room for. */
  async sweep(): Promise<number> {
    const room = Math.min(TAKEOVER_BATCH, this.o.config.concurrency * 2 - this.limiter.running - this.limiter.queued);
    if (this.closing || room <= 0) return 0;
    const rows = await takeAbandoned(this.o.db, room, this.o.config.leaseMs);
    const maxAgeMs = this.o.maxAgeMs ?? 30 * 60_000;
    for (const row of rows) {
      const parsed = intakeSchema.safeParse(row.payload);
      if (!parsed.success) {
        this.o.log.error({ inbox: row.id }, 'kept request unreadable');
        await finishRequest(this.o.db, row.id, 'failed');
        continue;
      }
      const giveUp = Date.now() - row.received_at.getTime() > maxAgeMs;
      this.o.log.info({ key: row.key, attempts: row.attempts, ageMs: Date.now() - row.received_at.getTime(), giveUp }, 'taking over a kept request');
      void this.process(row.id, parsed.data, { late: true, giveUp });
    }
    return rows.length;
  }

  /**
   * Stops taking requests, lets those in progress finish for up to `drainMs`, and hands any
   * still unfinished back at once (another process, or this one restarted, takes them over).
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.sweeper.stop();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.config.drainMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), timeout]);
    clearTimeout(timer);
    await this.renewer.stop();
    const left = [...this.inFlight.keys()];
    if (left.length) {
      this.o.log.warn({ left: left.length }, 'shutdown: handing back unfinished requests');
      await releaseLeases(this.o.db, left).catch(() => undefined);
    }
  }
}
