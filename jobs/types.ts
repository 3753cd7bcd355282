import type { Job } from 'bullmq';
import type { Db } from '../src/db/database.js';
import type { Clock } from '../src/domain/clock.js';
import type { Logger } from '../src/logger.js';
import type { Metrics } from '../src/lib/metrics.js';
import type { OutboxKinds } from '../src/platform/outbox/kinds.js';
import type { OutboxScheduler } from '../src/platform/outbox/scheduler.js';
import type { SlackLookups } from '../src/slack/lookup.js';
import type { Outbound } from '../src/platform/outbox/outbound.js';
import type { BatchedDelivery } from '../src/platform/outbox/batcher.js';

/** What a job needs: the stores, time, and the one outbound path to Slack. */
export interface WorkerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  outbound: Outbound;
  /** Claims and delivers outbox rows, sharing statements and transactions among the jobs running at once. */
  delivery: BatchedDelivery;
  /** users.info per workspace, with a cache: the language of a direct message follows its reader's Slack locale. */
  lookups: SlackLookups;
  scheduler: OutboxScheduler;
  /** Every kind of outbox message, by name: what each is about and what it says. */
  kinds: OutboxKinds;
  /** How long an outbox claim stays exclusive (a killed worker's claim is taken over after it). */
  leaseMs: number;
  /** A message posted this long after its time is marked late (the bot was down, Redis lost it…). */
  lateAfterMs: number;
  /** Names this process in claim tokens, for the logs. */
  workerId: string;
  metrics: Metrics;
}

export interface JobContext {
  job: Job;
  /** The BullMQ lock token: needed to move the running job back to delayed. */
  token: string | undefined;
  deps: WorkerDeps;
}

export interface JobHandler<P> {
  /** Parses the stored payload: jobs outlive deploys, so payloads are `unknown` until checked. */
  parse(payload: unknown): P;
  run(payload: P, ctx: JobContext): Promise<void>;
  /** Called once BullMQ gives up (attempts used up, or an unrecoverable error): record it in Postgres. */
  onGiveUp?(payload: P, code: string, deps: WorkerDeps): Promise<void>;
}

/** A handler with its retry settings (BullMQ job options). */
export interface JobDefinition<P> extends JobHandler<P> {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
}
