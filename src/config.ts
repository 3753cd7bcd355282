import { z } from 'zod';
import { parseTokenKeys, TokenKeysInvalid, type TokenKeys } from './lib/token-crypto.js';

/**
 * The only place that reads the environment. Everything else receives a frozen `Config`.
 *
 * With no Slack credentials at all, docket runs in local mode: the fake Slack Web API is
 * served in-process and requests are signed with a fixed local secret.
 */
export const LOCAL_SIGNING_SECRET = 'docket-local-signing-secret';
export const LOCAL_BOT_TOKEN = 'xoxb-docket-local';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const intIn = (min: number, max: number, fallback: number) =>
  optionalText.pipe(z.coerce.number<string>().int().min(min).max(max).optional()).transform((v) => v ?? fallback);

const schema = z.object({
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // ---- many workspaces through OAuth (issue 12): Bolt's names; set instead of SLACK_BOT_TOKEN ----
  SLACK_CLIENT_ID: optionalText.pipe(z.string().max(100).regex(/^[0-9]+\.[0-9]+$/, 'expected the app\'s Client ID, such as 1234567890.1234567890').optional()),
  SLACK_CLIENT_SECRET: optionalText.pipe(z.string().max(200).optional()),
  SLACK_STATE_SECRET: optionalText.pipe(z.string().min(16, 'use at least 16 random characters').max(512).optional()),
  // `id:base64,…`, each 32 random bytes: the first seals workspaces' tokens, every one opens them.
  TOKEN_ENCRYPTION_KEYS: optionalText.pipe(z.string().max(10_000).optional()),
  DATABASE_URL: optionalText
    .pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional())
    .transform((v) => v ?? 'postgres://postgres@127.0.0.1:5432/docket'),
  REDIS_URL: optionalText
    .pipe(z.url({ protocol: /^rediss?$/ }).optional())
    .transform((v) => v ?? 'redis://127.0.0.1:6379'),
  // Where people reach docket from outside (the calendar feed's links); default: the local server.
  PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/ })
      .refine((u) => !/[?#]/.test(u), 'a base URL has no query or fragment')
      .optional(),
  ),
  PORT: optionalText
    .pipe(z.coerce.number<string>().int().min(0).max(65535).optional())
    .transform((v) => v ?? 3000),
  // The address to listen on: unset, every interface (as before HOST existed).
  HOST: optionalText.pipe(z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'expected an IP address or a host name, such as 0.0.0.0, 127.0.0.1 or ::' }).optional()),
  // ---- operations (issue 12) ----
  // A worker-only process serves /metrics and /healthz here (unset: it serves nothing).
  METRICS_PORT: optionalText.pipe(z.coerce.number<string>().int().min(0).max(65535).optional()),
  // When set, /metrics answers only a scrape sending it as a bearer token.
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'use at least 16 characters').max(256).regex(/^[\x21-\x7e]+$/, 'printable characters only, no spaces').optional()),
  LOG_LEVEL: optionalText
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional())
    .transform((v) => v ?? 'info'),
  // ---- workers and reminders (issue 3) ----
  DATABASE_POOL_MAX: intIn(1, 200, 10),
  DATABASE_ACQUIRE_TIMEOUT_MS: intIn(100, 60_000, 5000),
  DATABASE_STATEMENT_TIMEOUT_MS: intIn(100, 600_000, 15_000),
  // ---- requests (issue 7): recorded before the ack, worked under a lease, shed when full ----
  HANDLER_CONCURRENCY: intIn(1, 1000, 20),
  HANDLER_QUEUE_MAX: intIn(0, 100_000, 500),
  INBOX_LEASE_MS: intIn(500, 600_000, 15_000),
  INBOX_SWEEP_MS: intIn(100, 600_000, 5000),
  SHUTDOWN_DRAIN_MS: intIn(0, 600_000, 10_000),
  // Where acknowledged requests run: in the web process that received them (default), or in the
  // worker processes, so that a web process only records and acknowledges (issue 13).
  REQUESTS_RUN_IN: optionalText.pipe(z.enum(['web', 'worker']).optional()).transform((v) => v ?? 'web'),
  QUEUE_PREFIX: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional()).transform((v) => v ?? 'docket'),
  WORKER_CONCURRENCY: intIn(1, 500, 50),
  OUTBOX_BATCH_MAX: intIn(1, 500, 50),
  RECONCILE_INTERVAL_MS: intIn(100, 600_000, 20_000),
  SCHEDULE_INTERVAL_MS: intIn(100, 600_000, 5000),
  JOB_LOCK_MS: intIn(500, 600_000, 30_000),
  CLAIM_LEASE_MS: intIn(500, 600_000, 30_000),
  SLACK_CHANNEL_INTERVAL_MS: intIn(0, 60_000, 1050),
  // ---- data (issue 12): unset keeps closed cases' timelines forever ----
  TIMELINE_RETENTION_DAYS: optionalText.pipe(z.coerce.number<string>().int().min(30).max(36_500).optional()),
});

/** Every variable docket reads (NODE_ENV aside), for checks that a deployment sets only these. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type SlackMode =
  | { kind: 'local' }
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret: string | undefined }
  /** Installed into any number of workspaces through OAuth; each one's bot token is kept, sealed, in Postgres. */
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; signingSecret: string; tokenKeys: TokenKeys };

export interface Config {
  readonly slack: Readonly<SlackMode>;
  /** Where the Web API lives; undefined means real Slack (or the in-process fake in local mode). */
  readonly slackApiUrl: string | undefined;
  readonly databaseUrl: string;
  /** False when DATABASE_URL was not set and the default applies (local mode may then embed Postgres). */
  readonly databaseUrlGiven: boolean;
  /** Connections in this process's Postgres pool (a worker holds one per post in flight). */
  readonly databasePoolMax: number;
  /** A query waits this long for a free connection, and runs this long on the server, at most. */
  readonly databaseAcquireTimeoutMs: number;
  readonly databaseStatementTimeoutMs: number;
  readonly requests: Readonly<RequestConfig>;
  readonly redisUrl: string;
  readonly port: number;
  /** The address the HTTP servers listen on; undefined: every interface. */
  readonly host: string | undefined;
  readonly metrics: Readonly<MetricsConfig>;
  /** docket's public base URL, without a trailing slash; undefined: the address the server listens on. */
  readonly publicUrl: string | undefined;
  readonly logLevel: string;
  readonly workers: Readonly<WorkerConfig>;
}

export interface RequestConfig {
  /** Requests worked on at once by one web process; more wait in memory, up to queueMax. */
  concurrency: number;
  /** Beyond this many waiting requests, new ones are refused with "busy, try again". */
  queueMax: number;
  /** A request's process renews this lease while working on it; once it lapses, another takes it over. */
  leaseMs: number;
  /** How often a web process looks for requests whose process died. */
  sweepMs: number;
  /** On SIGTERM, how long requests in progress get to finish before the process exits anyway. */
  drainMs: number;
  /**
   * 'web': the process that acknowledges a request runs it. 'worker': web processes record and
   * acknowledge only; worker processes take the recorded requests (told at once through
   * Postgres NOTIFY) and run them, so the acknowledging event loop never waits behind that work.
   */
  runIn: 'web' | 'worker';
}

export interface MetricsConfig {
  /** Where a worker-only process serves /metrics and /healthz; undefined: nowhere. */
  port: number | undefined;
  /** A bearer token /metrics asks for; undefined: it answers anyone who can reach it. */
  token: string | undefined;
}

export interface WorkerConfig {
  /** Prefix of every BullMQ and rate-limit key in Redis (tests give each file its own). */
  queuePrefix: string;
  concurrency: number;
  /** How often a worker checks that Redis still holds the schedule Postgres says it should. */
  reconcileIntervalMs: number;
  /** How often a worker looks for due occurrences of recurring work (they run at most this late). */
  scheduleIntervalMs: number;
  /** BullMQ job lock: a killed worker's job is re-run after about this long. */
  lockMs: number;
  /** How long a reminder claim stays exclusive before another attempt may take it over. */
  leaseMs: number;
  /** Minimum gap between two posts to one channel (Slack allows about one per second). */
  channelIntervalMs: number;
  /** Most outbox messages claimed in one statement and delivered in one transaction (1: each on its own). */
  batchMax: number;
  /**
   * Delivery transactions at once. Each holds a connection while its posts are out, so it is
   * the pool less three (two claim statements, and one for everything else); a few posts that
   * hang until their timeout stall only their own transactions.
   */
  batchesInFlight: number;
  /**
   * Days a closed case's timeline is kept after its last entry (the close, or anything later)
   * was written; the hourly housekeeping then removes it. Undefined: kept forever.
   */
  timelineRetentionDays: number | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function slackMode(env: z.infer<typeof schema>, production: boolean): SlackMode {
  const { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: app, SLACK_CLIENT_ID: clientId } = env;
  if (!bot && !secret && !app && !clientId) {
    // The local workspace lets anyone act as anyone: never what a production deployment means.
    if (production) throw new ConfigError('NODE_ENV is production but no Slack credentials are set: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode), or SLACK_CLIENT_ID and its companions for many workspaces; the local workspace runs only outside production');
    return { kind: 'local' };
  }
  if (clientId) return oauthMode(env, clientId, production);
  if (!bot) throw new ConfigError('SLACK_BOT_TOKEN is missing (it is required once any Slack variable is set)');
  if (app) return { kind: 'socket', botToken: bot, appToken: app, signingSecret: secret };
  if (!secret) throw new ConfigError('SLACK_SIGNING_SECRET is missing (it is required with SLACK_BOT_TOKEN)');
  return { kind: 'http', botToken: bot, signingSecret: secret };
}

/** SLACK_CLIENT_ID set: installs through OAuth, over HTTP, with every companion variable it needs. */
function oauthMode(env: z.infer<typeof schema>, clientId: string, production: boolean): SlackMode {
  if (env.SLACK_BOT_TOKEN) {
    throw new ConfigError('SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: SLACK_BOT_TOKEN serves one workspace, SLACK_CLIENT_ID installs docket into many through OAuth (their tokens are kept in the database); unset one of them');
  }
  if (env.SLACK_APP_TOKEN) throw new ConfigError('SLACK_APP_TOKEN and SLACK_CLIENT_ID are both set: installing through OAuth needs docket reachable over HTTPS (Socket Mode serves one workspace, with SLACK_BOT_TOKEN); unset one of them');
  const missing = (name: string, what: string) => new ConfigError(`${name} is missing (it is required with SLACK_CLIENT_ID: ${what})`);
  if (!env.SLACK_CLIENT_SECRET) throw missing('SLACK_CLIENT_SECRET', "the app's Client Secret, on its Basic Information page");
  if (!env.SLACK_STATE_SECRET) throw missing('SLACK_STATE_SECRET', 'a long random string of your own; it signs each install\'s state');
  if (!env.SLACK_SIGNING_SECRET) throw missing('SLACK_SIGNING_SECRET', "the app's Signing Secret, on its Basic Information page");
  if (!env.TOKEN_ENCRYPTION_KEYS) throw missing('TOKEN_ENCRYPTION_KEYS', 'id:key, the key 32 random bytes in base64; it seals the workspaces\' tokens in the database');
  // Slack sends installers back over HTTPS to the address in the app's settings, never to the local one.
  if (production && !env.PUBLIC_URL) throw new ConfigError('PUBLIC_URL is missing (it is required with SLACK_CLIENT_ID in production: Slack sends installers back to PUBLIC_URL/slack/oauth_redirect)');
  let tokenKeys: TokenKeys;
  try {
    tokenKeys = parseTokenKeys(env.TOKEN_ENCRYPTION_KEYS);
  } catch (err) {
    if (err instanceof TokenKeysInvalid) throw new ConfigError(`TOKEN_ENCRYPTION_KEYS is invalid: ${err.message}`);
    throw err;
  }
  return { kind: 'oauth', clientId, clientSecret: env.SLACK_CLIENT_SECRET, stateSecret: env.SLACK_STATE_SECRET, signingSecret: env.SLACK_SIGNING_SECRET, tokenKeys };
}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${name} is invalid: ${issue.message}`);
  }
  const v = parsed.data;
  return Object.freeze({
    slack: Object.freeze(slackMode(v, env.NODE_ENV?.trim() === 'production')),
    slackApiUrl: v.SLACK_API_URL,
    databaseUrl: v.DATABASE_URL,
    databaseUrlGiven: Boolean(env.DATABASE_URL?.trim()),
    databasePoolMax: v.DATABASE_POOL_MAX,
    databaseAcquireTimeoutMs: v.DATABASE_ACQUIRE_TIMEOUT_MS,
    databaseStatementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT_MS,
    requests: Object.freeze({
      concurrency: v.HANDLER_CONCURRENCY,
      queueMax: v.HANDLER_QUEUE_MAX,
      leaseMs: v.INBOX_LEASE_MS,
      sweepMs: v.INBOX_SWEEP_MS,
      drainMs: v.SHUTDOWN_DRAIN_MS,
      runIn: v.REQUESTS_RUN_IN,
    }),
    redisUrl: v.REDIS_URL,
    port: v.PORT,
    host: v.HOST,
    metrics: Object.freeze({ port: v.METRICS_PORT, token: v.METRICS_TOKEN }),
    publicUrl: v.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: v.LOG_LEVEL,
    workers: Object.freeze({
      queuePrefix: v.QUEUE_PREFIX,
      concurrency: v.WORKER_CONCURRENCY,
      reconcileIntervalMs: v.RECONCILE_INTERVAL_MS,
      scheduleIntervalMs: v.SCHEDULE_INTERVAL_MS,
      lockMs: v.JOB_LOCK_MS,
      leaseMs: v.CLAIM_LEASE_MS,
      channelIntervalMs: v.SLACK_CHANNEL_INTERVAL_MS,
      batchMax: v.OUTBOX_BATCH_MAX,
      batchesInFlight: Math.max(1, v.DATABASE_POOL_MAX - 3),
      timelineRetentionDays: v.TIMELINE_RETENTION_DAYS,
    }),
  });
}

export function signingSecretOf(config: Config): string {
  const s = config.slack;
  if (s.kind === 'local') return LOCAL_SIGNING_SECRET;
  return s.signingSecret ?? '';
}

/** The one bot token of a single-workspace deployment; undefined when workspaces install through OAuth. */
export function botTokenOf(config: Config): string | undefined {
  const s = config.slack;
  if (s.kind === 'oauth') return undefined;
  return s.kind === 'local' ? LOCAL_BOT_TOKEN : s.botToken;
}
