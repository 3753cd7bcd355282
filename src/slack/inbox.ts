import { randomUUID } from 'node:crypto';
import type { RequestConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { dbFault } from '../db/errors.js';
import { HANDED_OFF, admitRequest, countWaiting, finishRequest, releaseLeases, renewLeases, takeWaiting } from '../db/inbox.repo.js';
import { LATE, within } from '../lib/deadline.js';
import { Cancelled, Limiter } from '../lib/limiter.js';
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

/**
 * What a process does with requests:
 * - 'web': records and acknowledges them, runs them, and takes over those whose process died;
 * - 'receiver': records and acknowledges them only, for the runners (REQUESTS_RUN_IN=worker);
 * - 'runner': takes what receivers hand off (told at once by `listen`) and what died, and runs them.
 */
export type InboxPart = 'web' | 'receiver' | 'runner';

export interface InboxOptions {
  /** A pool of its own, so recording a request never waits behind busy handlers. */
  db: Db;
  log: Logger;
  config: RequestConfig;
  execute: Execute;
  /** After this long a kept request is given up (the person is told); response_urls last 30 minutes. */
  maxAgeMs?: number;
  /** Default 'web'. */
  part?: InboxPart;
  /** A runner's wake-up call: calls `notified` whenever a receiver hands a request off. */
  listen?: (notified: () => void) => { close(): Promise<void> };
}

const TAKEOVER_BATCH = 50;
/** A handed-off request taken this soon after its ack is answered live (its trigger id still works: Slack's last 3 s). */
const LIVE_MS = 2500;
/** How often a receiver reads how many requests wait for the runners, to refuse new ones when too many do. */
const BACKLOG_POLL_MS = 500;
/** A request whose runs keep dying with their process is poison, not bad luck: given up after this many takeovers. */
export const MAX_TAKEOVERS = 5;
/** After the database went away mid-run, the request is tried again this much later. */
const RETRY_AFTER_MS = 2000;

export class Inbox {
  /** This process, as the holder of leases. */
  private readonly owner = randomUUID();
  private readonly limiter: Limiter;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly sweeper: Periodic;
  private readonly renewer: Periodic;
  private readonly backlogPoll: Periodic;
  private closing = false;
  readonly part: InboxPart;
  /** A receiver's last reading of the requests waiting for a runner. */
  private waiting = 0;
  private listening: { close(): Promise<void> } | undefined;
  private sweeping = false;
  private sweepAgain = false;
  /** The last sweep found more than it had room for: a freed slot sweeps again at once. */
  private backlogged = false;

  constructor(private readonly o: InboxOptions) {
    this.part = o.part ?? 'web';
    this.limiter = new Limiter(o.config.concurrency);
    this.sweeper = new Periodic('inbox sweep', o.config.sweepMs, () => this.sweep(), o.log);
    // A quarter of the lease: two slow renewals in a row (pool timeouts) still come in time.
    this.renewer = new Periodic('inbox lease renewal', Math.max(100, Math.floor(o.config.leaseMs / 4)), () => this.renew(), o.log);
    this.backlogPoll = new Periodic('inbox backlog', BACKLOG_POLL_MS, async () => void (this.waiting = await countWaiting(this.o.db)), o.log);
  }

  /** Whether this process runs the requests it records (else it hands them off). */
  get runsWhatItReceives(): boolean {
    return this.part === 'web';
  }

  start(): void {
    if (this.part === 'receiver') return this.backlogPoll.start();
    this.sweeper.start();
    this.renewer.start();
    if (this.part === 'runner') this.listening = this.o.listen?.(() => this.wake());
  }

  /**
   * Sweeps now, once: notifications that come while a sweep runs are folded into one more
   * sweep after it, so a burst of a thousand costs a few sweeps, not a thousand.
   */
  private wake(): void {
    if (this.closing) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    this.sweep()
      .catch((err: unknown) => this.o.log.warn({ code: (err as { code?: string }).code ?? (err as Error).name }, 'inbox sweep failed'))
      .finally(() => {
        this.sweeping = false;
        if (this.sweepAgain) {
          this.sweepAgain = false;
          this.wake();
        }
      });
  }

  /** Requests this process is working on or holding in its queue. */
  get load(): { running: number; queued: number } {
    return { running: this.limiter.running, queued: this.limiter.queued };
  }

  /**
   * No room for another request: every slot busy and the queue at its limit (for a receiver:
   * as many waiting for the runners as a queue holds), or shutting down.
   */
  get full(): boolean {
    if (this.closing) return true;
    if (this.part === 'receiver') return this.waiting >= this.o.config.queueMax;
    return this.limiter.running >= this.limiter.concurrency && this.limiter.queued >= this.o.config.queueMax;
  }

  /**
   * Records the request, within `budgetMs` (what is left of Slack's 3 s for the ack). Too slow
   * counts as unavailable-and-unsure: the insert may still land, and then the request is taken
   * over and answered like any other whose process went away.
   */
  async admit(intake: Intake, budgetMs: number): Promise<Admission> {
    if (this.full) return { kind: 'busy' };
    const owner = this.part === 'receiver' ? HANDED_OFF : this.owner;
    const row = { teamId: intake.teamId, key: requestKeyOf(intake), kind: intake.kind, payload: intake, nonce: randomUUID(), leaseMs: this.o.config.leaseMs, owner };
    const started = Date.now();
    const attempt = async (): Promise<Admission> => {
      for (let n = 1; ; n++) {
        try {
          const r = await admitRequest(this.o.db, row);
          return r === 'duplicate' ? { kind: 'duplicate' } : { kind: 'admitted', id: r.id };
        } catch (err) {
          const fault = dbFault(err);
          // A pooled connection the server closed while idle fails fast: one more try on a fresh one.
          if (fault === 'unknown' && n === 1 && Date.now() - started < 300) continue;
          this.o.log.warn({ key: row.key, code: (err as { code?: string }).code ?? fault ?? 'error' }, 'request not recorded');
          return { kind: 'unavailable', certain: fault !== 'unknown' };
        }
      }
    };
    const result = await within(attempt(), budgetMs);
    if (result !== LATE) return result;
    this.o.log.warn({ key: row.key, budgetMs }, 'request not recorded in time');
    return { kind: 'unavailable', certain: false };
  }

  /** Works an admitted request within the concurrency limit; resolves once it is answered (or kept for later). */
  process(id: number, intake: Intake, run: Run): Promise<void> {
    const running = this.inFlight.get(id);
    if (running) return running; // one run of a row per process, whatever the sweeps find
    const key = requestKeyOf(intake);
    const work: Promise<void> = this.limiter
      .run(async () => {
        let outcome: 'done' | 'retry' | 'failed';
        try {
          outcome = await this.o.execute(intake, run);
          if (run.giveUp) outcome = 'failed';
        } catch (err) {
          // A fault in docket itself: retrying the same request would fail the same way.
          this.o.log.error({ key, err: { name: (err as Error).name, message: (err as Error).message } }, 'request failed');
          outcome = 'failed';
        }
        if (outcome === 'retry') {
          // Handed back for a later try (the database went away): a sweep takes it up again.
          await releaseLeases(this.o.db, [id], this.owner, RETRY_AFTER_MS).catch(() => undefined);
          return;
        }
        await finishRequest(this.o.db, id, outcome === 'failed' ? 'failed' : 'done').catch((err: unknown) =>
          // Answered but not marked: a later sweep runs it again, and its change is claimed already.
          this.o.log.warn({ key, code: (err as { code?: string }).code ?? 'error' }, 'request not marked done'),
        );
        // The last log line of every request; tests wait for it instead of sleeping.
        this.o.log.debug({ key }, 'done');
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof Cancelled)) throw err;
        // Shutting down before its turn came: free for another process at once.
        await releaseLeases(this.o.db, [id], this.owner).catch(() => undefined);
      })
      .finally(() => {
        if (this.inFlight.get(id) === work) this.inFlight.delete(id);
        if (this.backlogged) this.wake();
      });
    this.inFlight.set(id, work);
    return work;
  }

  private async renew(): Promise<void> {
    const ids = [...this.inFlight.keys()];
    const held = await renewLeases(this.o.db, ids, this.o.config.leaseMs, this.owner);
    if (held.length < ids.length) this.o.log.warn({ lost: ids.length - held.length }, 'request leases lost to a takeover');
  }

  /** Takes over requests whose process died (and, for a runner, those handed off), as many as there is room for. */
  async sweep(): Promise<number> {
    const room = Math.min(TAKEOVER_BATCH, this.limiter.concurrency * 2 - this.limiter.running - this.limiter.queued);
    if (this.closing || this.part === 'receiver') return 0;
    this.backlogged = room <= 0;
    if (room <= 0) return 0;
    const rows = await takeWaiting(this.o.db, { limit: room, leaseMs: this.o.config.leaseMs, owner: this.owner, except: [...this.inFlight.keys()] });
    this.backlogged = rows.length === room;
    const maxAgeMs = this.o.maxAgeMs ?? 30 * 60_000;
    for (const row of rows) {
      const parsed = intakeSchema.safeParse(row.payload);
      if (!parsed.success) {
        this.o.log.error({ inbox: row.id }, 'kept request unreadable');
        await finishRequest(this.o.db, row.id, 'failed');
        continue;
      }
      const ageMs = Date.now() - row.received_at.getTime();
      const giveUp = ageMs > maxAgeMs || row.attempts > MAX_TAKEOVERS;
      // A request handed off to the runners is their everyday work; one whose process died is news.
      if (row.handedOff) this.o.log.debug({ key: row.key, ageMs }, 'taking a handed-off request');
      else this.o.log.info({ key: row.key, attempts: row.attempts, ageMs, giveUp }, 'taking over a kept request');
      void this.process(row.id, parsed.data, { late: !row.handedOff || ageMs > LIVE_MS, giveUp });
    }
    return rows.length;
  }

  /**
   * Stops taking requests and lets the ones received finish, for up to `drainMs`. Then those
   * still waiting for their turn are handed back at once; those still running keep their
   * leases, which lapse when this process exits, and another process takes them over.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([this.sweeper.stop(), this.backlogPoll.stop(), this.listening?.close()]);
    const all = () => Promise.allSettled([...this.inFlight.values()]);
    if ((await within(all(), this.o.config.drainMs)) === LATE) {
      const dropped = this.limiter.cancelWaiting();
      this.o.log.warn({ dropped, running: this.limiter.running }, 'shutdown: handing back requests not started');
      await within(all(), 1000);
    }
    await this.renewer.stop();
  }
}
