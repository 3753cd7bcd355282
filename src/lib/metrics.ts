import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LATE, within } from './deadline.js';

/**
 * docket's Prometheus metrics: one registry per process (never prom-client's global one, so a
 * test can run several apps side by side), shared by the web side and the workers when one
 * process runs both.
 *
 * Label values come from closed sets only: the surfaces below, the names docket registers
 * (commands, buttons, forms, events, outbox and schedule kinds), outcomes, states. Never text
 * someone typed, never an id: each value is a time series of its own.
 */

/** Where a request came in, in the glossary's words. */
export type Surface = 'command' | 'button' | 'form' | 'event';

/**
 * How a request ended: answered (`ok`), refused by a rule (`refused`), failed in docket
 * (`failed`), kept for a later try because the database went away (`retry`), given up after
 * too long (`gave_up`), or turned away before the inbox (`busy`, `unavailable`, `duplicate`).
 */
export type RequestOutcome = 'ok' | 'refused' | 'failed' | 'retry' | 'gave_up' | 'busy' | 'unavailable' | 'duplicate';

export interface OutboxDepthRow {
  kind: string;
  state: string;
  count: number;
  /** How long the oldest row due and not yet sent has been waiting, in seconds (0: none due). */
  overdueSeconds: number;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * What is read when Prometheus scrapes: each answers within SOURCE_TIMEOUT_MS or its series
 * are left out of that scrape (and counted in docket_scrape_errors_total), so a slow database
 * or Redis never holds the scrape.
 */
export interface MetricSources {
  outboxDepth?: () => Promise<readonly OutboxDepthRow[]>;
  queueJobs?: () => Promise<Readonly<Record<string, number>>>;
  /** By pool name (`main`, `intake`). */
  pools: Map<string, () => PoolStats | undefined>;
}

const SOURCE_TIMEOUT_MS = 1000;

/** A kind read back from the database is a registered name; anything else is folded into one series. */
const KIND = /^[a-z][a-z0-9_.-]{0,63}$/;
export const kindLabel = (kind: string): string => (KIND.test(kind) ? kind : 'other');

export class Metrics {
  readonly registry = new Registry();
  readonly sources: MetricSources = { pools: new Map() };

  readonly requests: Counter<'surface' | 'name' | 'outcome'>;
  /** From the start of a request's run to its answer having gone out. */
  readonly requestSeconds: Histogram<'surface'>;
  /** From the listener's start to the ack (Slack waits 3 s). */
  readonly ackSeconds: Histogram<'surface'>;
  readonly deliveries: Counter<'kind' | 'outcome'>;
  /** chat.update of sent messages brought up to date with their subject. */
  readonly updates: Counter<'kind' | 'outcome'>;
  readonly retries: Counter<'job'>;
  readonly rateLimited: Counter<'method'>;
  /** When a message went out, less when it was due. */
  readonly outboxLag: Histogram<'kind'>;
  readonly reconcilerRebuilds: Counter;
  readonly reconcilerRequeued: Counter<'reason'>;
  readonly scheduleRuns: Counter<'kind'>;
  private readonly scrapeErrors: Counter<'source'>;

  constructor(o: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (o.processMetrics ?? true) collectDefaultMetrics({ register: this.registry }); // process_*, nodejs_*: the names dashboards expect
    this.requests = new Counter({ name: 'docket_requests_total', help: 'Slack requests by surface, registered name and outcome', labelNames: ['surface', 'name', 'outcome'], registers });
    this.requestSeconds = new Histogram({
      name: 'docket_request_seconds',
      help: 'Time from the start of a request’s run to its answer',
      labelNames: ['surface'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'docket_ack_seconds',
      help: 'Time from a request’s arrival to its ack (Slack waits 3 s)',
      labelNames: ['surface'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers,
    });
    this.deliveries = new Counter({ name: 'docket_outbox_deliveries_total', help: 'Outbox delivery attempts by kind and outcome', labelNames: ['kind', 'outcome'], registers });
    this.updates = new Counter({ name: 'docket_outbox_updates_total', help: 'Updates of sent messages (chat.update) by kind and outcome', labelNames: ['kind', 'outcome'], registers });
    this.retries = new Counter({ name: 'docket_outbox_retries_total', help: 'Jobs that failed and will be tried again, by job name', labelNames: ['job'], registers });
    this.rateLimited = new Counter({ name: 'docket_slack_ratelimited_total', help: 'HTTP 429 answers from Slack, by Web API method', labelNames: ['method'], registers });
    this.outboxLag = new Histogram({
      name: 'docket_outbox_lag_seconds',
      help: 'Time a message went out, less the time it was due',
      labelNames: ['kind'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.reconcilerRebuilds = new Counter({ name: 'docket_reconciler_rebuilds_total', help: 'Times the schedule in Redis was rebuilt from Postgres (Redis had lost it)', registers });
    this.reconcilerRequeued = new Counter({ name: 'docket_reconciler_requeued_total', help: 'Jobs the reconciler enqueued again, by reason', labelNames: ['reason'], registers });
    this.scheduleRuns = new Counter({ name: 'docket_schedule_runs_total', help: 'Occurrences of recurring work run, by schedule kind', labelNames: ['kind'], registers });
    this.scrapeErrors = new Counter({ name: 'docket_scrape_errors_total', help: 'Sources left out of a scrape (too slow or failed)', labelNames: ['source'], registers });

    const read = <T>(source: string, fn: (() => Promise<T>) | undefined): Promise<T | undefined> =>
      fn === undefined
        ? Promise.resolve(undefined)
        : within(fn(), SOURCE_TIMEOUT_MS).then(
            (v) => (v === LATE ? this.failed(source) : v),
            () => this.failed(source),
          );
    const sources = this.sources;
    // The depth and the overdue gauges come from one query: a scrape collects them side by side,
    // so the second shares the first's read while it is in flight.
    let depth: Promise<readonly OutboxDepthRow[] | undefined> | undefined;
    const outbox = () =>
      (depth ??= read('outbox', sources.outboxDepth).finally(() => {
        depth = undefined;
      }));
    new Gauge({
      name: 'docket_outbox_depth',
      help: 'Outbox messages not yet sent, by kind and state (pending, claimed)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const r of (await outbox()) ?? []) this.set({ kind: kindLabel(r.kind), state: r.state }, r.count);
      },
    });
    new Gauge({
      name: 'docket_outbox_overdue_seconds',
      help: 'How long the oldest message due and not yet sent has waited, by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        this.reset();
        const overdue = new Map<string, number>();
        for (const r of (await outbox()) ?? []) overdue.set(kindLabel(r.kind), Math.max(overdue.get(kindLabel(r.kind)) ?? 0, r.overdueSeconds));
        for (const [kind, s] of overdue) this.set({ kind }, s);
      },
    });
    new Gauge({
      name: 'docket_queue_jobs',
      help: 'Jobs in the outbox queue (Redis), by state',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries((await read('queue', sources.queueJobs)) ?? {})) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'docket_db_pool',
      help: 'Postgres pool connections by pool (main, intake) and state (total, idle, waiting, max)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        this.reset();
        for (const [pool, stats] of sources.pools) {
          const s = stats();
          if (!s) continue;
          for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ pool, state }, s[state]);
        }
      },
    });
  }

  private failed(source: string): undefined {
    this.scrapeErrors.inc({ source });
    return undefined;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
