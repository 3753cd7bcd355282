import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import { sql } from 'kysely';
import { startDocket, startRequestRunner, tokenSourceFor, type Docket, type Runner } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/database.js';
import type { Clock } from '../../src/domain/clock.js';
import { systemClock } from '../../src/domain/clock.js';
import { waitForItem } from '../../src/lib/wait-for.js';
import type { Logger } from '../../src/logger.js';
import { startWorkers, type Workers } from '../../src/queue/workers.js';
import { INTAKE_POOL } from '../../src/services/infra.js';
import { FakeSlack, type FakeSlackOptions, type RecordedCall } from '../../src/slack/fake/fake-slack.js';
import { blockActionPayload, commandBody, interactionBody, send, signedPost } from '../../src/slack/fake/sender.js';
import { cloneForFile } from './databases.js';
import { until } from './wait.js';

export const SECRET = 'test-signing-secret';
export const TOKEN = 'xoxb-test-token';
export const TEAM = 'T0LOCAL';

/** Every log line the app writes, parsed; tests wait on them and scan them for leaks. */
export class LogCapture extends EventEmitter {
  readonly lines: Record<string, any>[] = [];
  readonly raw: string[] = [];
  constructor() {
    super();
    this.setMaxListeners(0);
  }
  write(line: string): void {
    this.raw.push(line);
    const entry = JSON.parse(line) as Record<string, any>;
    this.lines.push(entry);
    this.emit('line', entry);
  }
  /** The first line from index `from` on (past or future) that matches. */
  waitFor(match: (l: Record<string, any>) => boolean, from = 0, timeoutMs = 10_000): Promise<Record<string, any>> {
    return waitForItem(this, 'line', this.lines.slice(from), match, timeoutMs, 'log line');
  }

  private readonly taken = new Set<Record<string, any>>();

  /**
   * Like waitFor, but each line is handed to one waiter only: two identical requests sent at
   * once (a double submit) each wait for their own 'done' line, not both for the first.
   */
  take(match: (l: Record<string, any>) => boolean, from = 0): Promise<Record<string, any>> {
    // Claimed inside the match, synchronously, so two waiters woken by one line cannot share it.
    return this.waitFor((l) => {
      if (this.taken.has(l) || !match(l)) return false;
      this.taken.add(l);
      return true;
    }, from);
  }
}

export interface Sent {
  status: number;
  body: string;
  triggerId: string;
}

export interface CommandResult extends Sent {
  /** The ephemeral reply that came back through response_url (the last one, if several). */
  reply: RecordedCall | undefined;
  text: string;
}

interface Who {
  /** The workspace the request comes from (default TEAM, the fake's first). */
  team?: string;
  user?: string;
  channel?: string;
  retryNum?: number;
  triggerId?: string;
}

export interface HarnessOptions {
  clock?: Clock;
  /** Run reminder workers in this process too. */
  workers?: boolean;
  /** Environment overrides (REDIS_URL, WORKER_CONCURRENCY, …). */
  env?: Record<string, string>;
  fake?: Partial<FakeSlackOptions>;
  /** A database of the test's own (a private server it may stop); migrated here. Default: a clone per file. */
  databaseUrl?: string;
}

/** Creates (if needed) and migrates a database the test brought. */
export async function migrated(url: string): Promise<void> {
  await ensureDatabase(url);
  const db = createDb(url, 1);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

/** Deletes every Redis key under `prefix` (the server is shared with other test runs). */
export async function clearPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Every file gets its own queue prefix: the Redis server is shared with other test runs. */
export const testPrefix = () => `dockettest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export class Harness {
  workers: Workers | undefined;
  /** With REQUESTS_RUN_IN=worker: what runs the requests this process's web side records. */
  runner: Runner | undefined;
  /** The app's logger (into `logs`), for what a test starts beside it. */
  log!: Logger;
  private sent = { n: 0 };

  /** Statements sent to Postgres through the app's pools so far (the test's own queries on `db` included). */
  statements(): number {
    return this.sent.n;
  }

  private constructor(
    readonly clock: Clock,
    readonly docket: Docket,
    readonly fake: FakeSlack,
    readonly db: Db,
    readonly intakeDb: Db,
    readonly redis: Redis,
    readonly logs: LogCapture,
    readonly prefix: string,
    readonly env: Record<string, string>,
  ) {}

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    const fake = new FakeSlack({ token: TOKEN, teamId: TEAM, ...opts.fake });
    await fake.listen();
    const dbUrl = opts.databaseUrl ?? (await cloneForFile());
    if (opts.databaseUrl) await migrated(opts.databaseUrl);
    const prefix = testPrefix();
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: dbUrl,
      PORT: '0',
      LOG_LEVEL: 'debug',
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: '5',
      RECONCILE_INTERVAL_MS: '600000',
      // DOCKET_TEST_REQUESTS_RUN_IN=worker runs a suite with every request handed off to a runner.
      ...(process.env.DOCKET_TEST_REQUESTS_RUN_IN ? { REQUESTS_RUN_IN: process.env.DOCKET_TEST_REQUESTS_RUN_IN } : {}),
      ...opts.env,
    };
    const config = loadConfig(env);
    const logs = new LogCapture();
    const log = pino({ level: 'debug' }, { write: (l: string) => logs.write(l) });
    // Every statement docket sends, through either pool (see statements()).
    const sent = { n: 0 };
    const onStatement = () => void sent.n++;
    const db = createDb(dbUrl, { max: config.databasePoolMax, acquireTimeoutMs: config.databaseAcquireTimeoutMs, statementTimeoutMs: config.databaseStatementTimeoutMs, onStatement });
    const intakeDb = createDb(dbUrl, { ...INTAKE_POOL, onStatement });
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const docket = await startDocket({ config, log, db, intakeDb, redis, ...(opts.clock ? { clock: opts.clock } : {}) });
    const h = new Harness(opts.clock ?? systemClock, docket, fake, db, intakeDb, redis, logs, prefix, env);
    h.log = log;
    h.sent = sent;
    if (opts.workers) {
      // One registry, as in a process running both: the web side's /metrics shows the workers' counters.
      h.workers = startWorkers({ config: config.workers, log, db, redis, clock: opts.clock ?? systemClock, tokens: tokenSourceFor(config, db), slackApiUrl: fake.apiUrl, metrics: docket.metrics });
    }
    if (config.requests.runIn === 'worker') h.startRunner();
    return h;
  }

  /** A request runner in this process (REQUESTS_RUN_IN=worker), as a worker process would start it. */
  startRunner(): Runner {
    const config = loadConfig(this.env);
    this.runner = startRequestRunner({ config, log: this.log, db: this.db, databaseUrl: this.env.DATABASE_URL!, redis: this.redis, clock: this.clock, metrics: this.docket.metrics, slackApiUrl: this.fake.apiUrl });
    return this.runner;
  }

  /** Stops the runner, as if every worker process were down. */
  async stopRunner(): Promise<void> {
    await this.runner?.close();
    this.runner = undefined;
  }

  /** Deletes every Redis key under this file's prefix (never anything else on the shared server). */
  clearRedis(): Promise<void> {
    return clearPrefix(this.redis, this.prefix);
  }

  get url(): string {
    return this.docket.url;
  }

  async stop(): Promise<void> {
    await this.runner?.close();
    await this.workers?.close();
    await this.clearRedis();
    await this.docket.stop();
    await Promise.all([this.db.destroy(), this.intakeDb.destroy()]);
    this.redis.disconnect();
    await this.fake.close();
  }

  /** Empties every table (the migration bookkeeping excepted) and forgets recorded calls. */
  async reset(): Promise<void> {
    const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(this.db);
    // Jobs of the last test must not outlive it: ids restart, and a leftover job `r1` would stand in for the next test's reminder 1.
    await this.workers?.worker.pause();
    await this.clearRedis();
    await sql.raw(`truncate ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} restart identity cascade`).execute(this.db);
    await this.workers?.ensureSchedules();
    await this.workers?.worker.resume();
    this.fake.calls.length = 0;
    this.fake.messages.length = 0;
    // A fault injected for every call must not outlive the test that set it.
    this.fake.clearFaults();
  }

  /**
   * Posts to the app's endpoint; with `doneKey`, also waits until the app has finished
   * everything for that request (its last log line), counting only lines written after sending.
   */
  async post(
    body: string,
    contentType: 'application/x-www-form-urlencoded' | 'application/json',
    opts: { retryNum?: number; timestamp?: number; secret?: string; doneKey?: string } = {},
  ) {
    const from = this.logs.lines.length;
    const res = await send(`${this.url}/slack/events`, signedPost(opts.secret ?? SECRET, body, contentType, opts));
    if (res.status === 200 && opts.doneKey) await this.logs.take((l) => l.msg === 'done' && l.key === opts.doneKey, from);
    return res;
  }

  /** Sends `/case open X` as a user would type it, and waits until the app is done with it. */
  async command(input: string, who: Who = {}): Promise<CommandResult> {
    const [command, ...rest] = input.split(' ');
    const triggerId = who.triggerId ?? this.fake.mintTrigger();
    const body = commandBody({
      command: command!,
      text: rest.join(' '),
      teamId: who.team ?? TEAM,
      userId: who.user ?? 'U0ALICE',
      channelId: who.channel ?? 'C0GROUP',
      triggerId,
      responseUrl: this.fake.responseUrl(triggerId),
    });
    const res = await this.post(body, 'application/x-www-form-urlencoded', { retryNum: who.retryNum, doneKey: `cmd:${triggerId}` });
    const replies = this.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === triggerId);
    const reply = replies.at(-1);
    return { status: res.status, body: res.text, triggerId, reply, text: String(reply?.args.text ?? '') };
  }

  /** Clicks a button in a message the bot sent. */
  async click(actionId: string, value: string, who: Who = {}): Promise<CommandResult> {
    const triggerId = who.triggerId ?? this.fake.mintTrigger();
    const user = who.user ?? 'U0ALICE';
    const channel = who.channel ?? 'C0GROUP';
    const payload = blockActionPayload({ teamId: TEAM, userId: user, channelId: channel, triggerId, responseUrl: this.fake.responseUrl(triggerId), actionId, value });
    const res = await this.post(interactionBody(payload), 'application/x-www-form-urlencoded', { retryNum: who.retryNum, doneKey: `act:${triggerId}` });
    const reply = this.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === triggerId).at(-1);
    return { status: res.status, body: res.text, triggerId, reply, text: String(reply?.args.text ?? '') };
  }

  /** The modal the app opened with this trigger id. */
  openedView(triggerId: string): Record<string, any> {
    const call = this.fake.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
    if (!call?.ok) throw new Error(`no modal opened for ${triggerId}: ${call?.error ?? 'no call'}`);
    return call.response.view;
  }

  /**
   * Submits a modal with `values` (block id → typed text, picked option value (several:
   * comma-separated), date, time or user),
   * shaped as Slack shapes view_submission state. Returns the HTTP answer (inline errors).
   */
  async submit(view: Record<string, any>, values: Record<string, string | null>, who: Who = {}): Promise<{ status: number; body: Record<string, any> | null }> {
    const state: Record<string, Record<string, unknown>> = {};
    for (const block of view.blocks as Record<string, any>[]) {
      if (block.type !== 'input') continue;
      const v = values[block.block_id] ?? null;
      const el = block.element;
      const entry: Record<string, unknown> = { type: el.type };
      if (el.type === 'plain_text_input') entry.value = v;
      if (el.type === 'static_select') entry.selected_option = v === null ? null : { value: v, text: { type: 'plain_text', text: v } };
      if (el.type === 'datepicker') entry.selected_date = v;
      if (el.type === 'timepicker') entry.selected_time = v;
      // Several options: their values, comma-separated.
      if (el.type === 'multi_static_select') entry.selected_options = (v ? v.split(',') : []).map((value) => ({ value, text: { type: 'plain_text', text: value } }));
      if (el.type === 'users_select') entry.selected_user = v;
      state[block.block_id] = { [el.action_id]: entry };
    }
    const user = who.user ?? 'U0ALICE';
    const payload = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'local' },
      user: { id: user, username: user, name: user, team_id: TEAM },
      api_app_id: 'A0DOCKET',
      token: 'deprecated',
      trigger_id: this.fake.mintTrigger(),
      view: { ...view, state: { values: state } },
      response_urls: [],
    };
    const res = await this.post(interactionBody(payload), 'application/x-www-form-urlencoded', { retryNum: who.retryNum, doneKey: `view:${view.id}` });
    return { status: res.status, body: res.text ? (JSON.parse(res.text) as Record<string, any>) : null };
  }

  async event(event: Record<string, unknown>, opts: { eventId: string; retryNum?: number; team?: string }): Promise<{ status: number }> {
    const team = opts.team ?? TEAM;
    const body = JSON.stringify({
      token: 'deprecated',
      team_id: team,
      api_app_id: 'A0DOCKET',
      type: 'event_callback',
      event_id: opts.eventId,
      event_time: Math.floor(Date.now() / 1000),
      event,
      authorizations: [{ team_id: team, user_id: this.fake.oauth.workspaces.get(team)?.botUserId ?? this.fake.botUserId, is_bot: true }],
    });
    const res = await this.post(body, 'application/json', { retryNum: opts.retryNum, doneKey: `event:${opts.eventId}` });
    return { status: res.status };
  }

  /**
   * Waits until every outbox message due by the app's clock has gone out (or failed, or been
   * cancelled): channel posts leave after the command, through the workers, so a test that
   * counts posts waits for this first. Needs `workers: true`.
   */
  async settled(timeoutMs = 15_000): Promise<void> {
    const dueBy = () => new Date(this.clock.now().getTime() + 1000);
    await until(async () => (await this.db.selectFrom('outbox').select('id').where('state', 'in', ['pending', 'claimed']).where('fire_at', '<=', dueBy()).execute()).length === 0 || undefined, timeoutMs);
  }

  /** The posts made once the outbox has settled (see settled()), optionally to one channel. */
  async settledPosts(channel?: string): Promise<RecordedCall[]> {
    await this.settled();
    return this.posts(channel);
  }

  /** Successful chat.postMessage calls, optionally to one channel. */
  posts(channel?: string): RecordedCall[] {
    return this.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && (!channel || c.args.channel === channel));
  }

  /** Sets up the reference group with Alice as coordinator and a few members and units. */
  async setupGroup(extra = ''): Promise<void> {
    const r = await this.command(`/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai currency:CNY announce:<#C0ANNOUNCE|announcements> ${extra}`.trim());
    if (!r.text.includes('set up')) throw new Error(`setup failed: ${r.text}`);
    await this.command('/docket units add Police');
    await this.command('/docket units add Procuratorate');
    await this.command('/docket members add <@U0BAO|bao> <@U0CARLOS|carlos> unit:Police');
    await this.command('/docket members add <@U0DANA|dana> role:observer');
  }
}

/**
 * One harness per test file: started before the first test, emptied before each (and given
 * the reference group when `group` is set), stopped after the last.
 */
export function useHarness(opts: HarnessOptions & { group?: boolean } = {}): Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    const { group: _group, ...start } = opts;
    h = await Harness.start(start);
  });
  afterAll(() => h?.stop());
  beforeEach(async () => {
    await h!.reset();
    if (opts.group) await h!.setupGroup();
  });
  // The harness exists only once beforeAll ran; the proxy lets tests hold it from the start.
  return new Proxy({} as Harness, {
    get(_target, prop) {
      const value = (h as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? value.bind(h) : value;
    },
  });
}
