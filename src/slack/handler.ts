import type { Db } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import type { Messages } from '../i18n/index.js';
import type { Metrics } from '../lib/metrics.js';
import type { Logger } from '../logger.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import type { OutboxScheduler } from '../platform/outbox/scheduler.js';
import type { Actor } from '../services/scope.js';
import type { Message, ModalView } from './kit.js';
import type { SlackLookup, SlackLookups } from './lookup.js';
import type { SlackClients } from './clients.js';

/** What command, action and view handlers need; nothing here speaks HTTP. */
export interface Deps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Each workspace's Web API client (its own bot token). */
  clients: SlackClients;
  /** Each workspace's users and channels, cached apart. */
  lookups: SlackLookups;
  /** The outbox's schedule in Redis; changes update it after they commit. */
  outbox: OutboxScheduler;
  /** Every slash command docket has, from the features: for `/docket help`. */
  commands: readonly CommandSummary[];
  /** The process's Prometheus metrics (src/lib/metrics.ts). */
  metrics: Metrics;
  /** docket's public base URL (PUBLIC_URL, else where its server listens): links to its own pages. */
  publicUrl: string;
}

export interface CommandSummary {
  name: string;
  description: (m: Messages) => string;
  usageHint: string;
}

/** One Slack request, reduced to what handlers use. */
export interface Request extends Actor {
  channelId: string;
  /** The reader's catalog, from their Slack locale. */
  m: Messages;
}

/**
 * One request's context: who asks, from where, in which language, and what handlers use
 * (storage, time, the Slack lookups of the request's workspace, the outbox's schedule).
 * Handlers take it alone; it is also the ServiceContext the use cases run with.
 */
export interface Ctx extends Deps, Request {
  /** Users and channels of the request's workspace, read with its token. */
  slack: SlackLookup;
}

export const contextFor = (deps: Deps, req: Request): Ctx => ({ ...deps, ...req, slack: deps.lookups.forTeam(req.teamId) });

/**
 * What a handler wants done in Slack. The boundary carries it out after the database work
 * has committed: a reply only the actor sees, a modal to open, and the outbox rows the change
 * wrote (channel posts) to put on the schedule.
 */
export interface Effects {
  reply?: Message;
  /** For button clicks: the reply replaces the message that held the button. */
  replaceOriginal?: boolean;
  /** Posts the change wrote to the outbox: enqueued now (or, should this process die first, by the reconciler). */
  outbox?: Scheduled[];
  modal?: ModalView;
  /** Files to share in the request's channel (exports), uploaded before the reply. */
  uploads?: { filename: string; title: string; bytes: Buffer; comment?: string }[];
}

export const say = (text: string): Effects => ({ reply: { text } });

/** A form is either wrong (errors per field, shown inline) or ready to run after the ack. */
export type Submission = { errors: Record<string, string> } | { run: () => Promise<Effects> };
