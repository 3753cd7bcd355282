import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isJobName, jobs, type JobDefinition, type WorkerDeps } from '../../jobs/index.js';
import type { WorkerConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import { ChannelPacer } from '../platform/outbox/channel-pacer.js';
import { SlackLookups } from '../slack/lookup.js';
import { slackClients, type TokenSource } from '../slack/clients.js';
import { Outbound } from '../platform/outbox/outbound.js';
import { BatchedDelivery, batchLimits } from '../platform/outbox/batcher.js';
import { SchedulePlanner, type ScheduleKinds } from '../platform/schedules/planner.js';
import { ensureSchedule } from '../platform/schedules/schedules.repo.js';
import { HOUSEKEEPING, housekeepingSchedule } from './housekeeping.js';
import { Reconciler } from '../platform/outbox/reconciler.js';
import { compose } from '../features/feature.js';
import { features } from '../features/index.js';
import { BullOutboxScheduler, OUTBOX_QUEUE, outboxQueue } from '../platform/outbox/queue.js';
import { Metrics } from '../lib/metrics.js';
import { watch } from '../ops.js';


export interface WorkerOptions {
  config: WorkerConfig;
  log: Logger;
  db: Db;
  redis: Redis;
  clock: Clock;
  /** Each workspace's bot token: the one SLACK_BOT_TOKEN (singleToken), or the installations' (OAuth). */
  tokens: TokenSource;
  slackApiUrl: string | undefined;
  /** Marks messages posted later than this as late (default one minute). */
  lateAfterMs?: number;
  /** The process's metrics, shared with the web side when one process runs both (default: a registry of its own). */
  metrics?: Metrics;
}

export interface Workers {
  reconciler: Reconciler;
  /** Runs due occurrences of recurring work (housekeeping, daily overdue reminders, …). */
  schedules: SchedulePlanner;
  /** Creates the schedules every deployment has (housekeeping), if missing. */
  ensureSchedules(): Promise<void>;
  scheduler: BullOutboxScheduler;
  worker: Worker;
  metrics: Metrics;
  /** Stops taking jobs, lets running ones finish, stops the periodic passes. Leaves db and redis open. */
  close(): Promise<void>;
}

/**
 * Web API clients for jobs, each workspace's with its own token. Posting never retries on its
 * own: a blind retry after a timeout could post twice, and 429s must come back to us so one
 * channel's pause does not stall the others (web-api's default pauses its whole queue). Reads
 * (history, users.info) are safe to retry a couple of times.
 */
function clients(o: WorkerOptions) {
  const base = { ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}), rejectRateLimitedCalls: true, timeout: 10_000, maxRequestConcurrency: Math.max(100, o.config.concurrency * 2) };
  return {
    post: slackClients(o.tokens, { ...base, retryConfig: { retries: 0 } }),
    read: slackClients(o.tokens, { ...base, retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 } }),
  };
}

async function dispatch(job: Job, token: string | undefined, deps: WorkerDeps): Promise<void> {
  if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
  const def = jobs[job.name] as JobDefinition<unknown>;
  let payload: unknown;
  try {
    payload = def.parse(job.data);
  } catch {
    deps.log.error({ job: job.id, name: job.name }, 'invalid job payload');
    throw new UnrecoverableError('invalid_payload');
  }
  await def.run(payload, { job, token, deps });
}

export function startWorkers(o: WorkerOptions): Workers {
  // The kinds of message and of recurring work every feature brings.
  const surfaces = compose(features);
  const { config } = o;
  const log = o.log.child({ component: 'worker' });
  const queue = outboxQueue(o.redis, config.queuePrefix);
  const scheduler = new BullOutboxScheduler(queue, o.clock, log);
  const api = clients(o);
  const metrics = o.metrics ?? new Metrics();
  watch(metrics, { db: o.db, queue, clock: o.clock });
  const outbound = new Outbound(api.post, new ChannelPacer(o.redis, config.queuePrefix, config.channelIntervalMs), metrics, (filename, failure) => log.warn({ filename, failure }, 'file not shared'));
  const deps: WorkerDeps = {
    metrics,
    db: o.db,
    clock: o.clock,
    log,
    outbound,
    delivery: new BatchedDelivery(o.db, surfaces.outbox, config.leaseMs, batchLimits(config.batchMax, config.batchesInFlight)),
    lookups: new SlackLookups(api.read),
    scheduler,
    kinds: surfaces.outbox,
    leaseMs: config.leaseMs,
    lateAfterMs: o.lateAfterMs ?? 60_000,
    workerId: `${hostname()}-${process.pid}`,
  };
  const worker = new Worker(OUTBOX_QUEUE, (job, token) => dispatch(job, token, deps), {
    connection: o.redis,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    lockDuration: config.lockMs,
    stalledInterval: Math.max(250, Math.floor(config.lockMs / 2)),
    // A job whose worker died is re-run; several deaths in a row mean something is wrong with it.
    maxStalledCount: 3,
  });
  worker.on('failed', (job, err) => {
    if (!job || !isJobName(job.name)) return;
    const def = jobs[job.name] as JobDefinition<unknown>;
    const gaveUp = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn({ job: job.id, name: job.name, code: err.message, attempts: job.attemptsMade, gaveUp }, 'job failed');
    if (!gaveUp) metrics.retries.inc({ job: job.name });
    if (!gaveUp || !def.onGiveUp) return;
    let payload: unknown;
    try {
      payload = def.parse(job.data);
    } catch {
      return;
    }
    def.onGiveUp(payload, err.message, deps).catch((e: unknown) => log.error({ job: job.id, err: { name: (e as Error).name } }, 'recording a failed job failed'));
  });
  worker.on('error', (err) => log.warn({ err: { name: err.name, message: err.message } }, 'worker error'));
  const reconciler = new Reconciler({ db: o.db, redis: o.redis, scheduler, queue, clock: o.clock, log, prefix: config.queuePrefix, intervalMs: config.reconcileIntervalMs, metrics });
  reconciler.start();
  const scheduleKinds: ScheduleKinds = { ...surfaces.schedules, [HOUSEKEEPING.kind]: housekeepingSchedule({ timelineRetentionDays: config.timelineRetentionDays }) };
  const schedules = new SchedulePlanner({ db: o.db, kinds: scheduleKinds, clock: o.clock, log, outbox: scheduler, intervalMs: config.scheduleIntervalMs, metrics });
  const ensureSchedules = () => ensureSchedule(o.db, HOUSEKEEPING, o.clock.now());
  // The planner waits for the schedules to exist (a fresh database, a test that emptied it).
  let closed = false;
  void ensureSchedules()
    .catch((err: unknown) => log.warn({ err: { name: (err as Error).name } }, 'ensuring schedules failed'))
    .finally(() => {
      if (!closed) schedules.start();
    });
  return {
    reconciler,
    schedules,
    ensureSchedules,
    scheduler,
    worker,
    metrics,
    async close() {
      closed = true;
      await Promise.all([reconciler.stop(), schedules.stop()]);
      await worker.close();
      await queue.close();
    },
  };
}
