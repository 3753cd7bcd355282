import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startDocket, tokenSourceFor, type Docket } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { startWorkers, type Workers } from '../../src/queue/workers.js';
import { createDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { defaultDirectory } from '../../src/slack/fake/directory.js';
import type { FakeSlack } from '../../src/slack/fake/fake-slack.js';
import type { LocalWorkspace } from '../../src/local/web/workspace.js';
import { cloneForFile } from './databases.js';
import { LogCapture, clearPrefix, testPrefix } from './harness.js';

/**
 * docket in local mode, as `npm start` runs it with no Slack variables: the fake Slack and
 * the workspace page on the app's own port, against this test file's database.
 */
export class LocalApp {
  private constructor(
    readonly docket: Docket,
    readonly workers: Workers,
    readonly db: Db,
    readonly redis: Redis,
    readonly logs: LogCapture,
    readonly prefix: string,
  ) {}

  /** `clock`: what the app and the workers read as now (a test that moves time on passes its own). */
  static async start(opts: { clock?: Clock } = {}): Promise<LocalApp> {
    const clock = opts.clock ?? systemClock;
    const dbUrl = await cloneForFile();
    const prefix = testPrefix();
    const config = loadConfig({ DATABASE_URL: dbUrl, PORT: '0', LOG_LEVEL: 'debug', QUEUE_PREFIX: prefix });
    if (config.slack.kind !== 'local') throw new Error('expected local mode');
    const logs = new LogCapture();
    const log = pino({ level: 'debug' }, { write: (l: string) => logs.write(l) });
    const db = createDb(dbUrl, 5);
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const docket = await startDocket({ config, log, db, redis, clock });
    // As `npm start` does: the workers post what the outbox holds (channel posts, reminders) to the fake.
    const workers = startWorkers({ config: config.workers, log, db, redis, clock, tokens: tokenSourceFor(config, db), slackApiUrl: docket.fake!.apiUrl });
    return new LocalApp(docket, workers, db, redis, logs, prefix);
  }

  get url(): string {
    return this.docket.url;
  }

  get fake(): FakeSlack {
    return this.docket.fake!;
  }

  get workspace(): LocalWorkspace {
    return this.docket.workspace!;
  }

  async stop(): Promise<void> {
    await this.workers.close();
    await this.clearRedis();
    await this.docket.stop();
    await this.db.destroy();
    this.redis.disconnect();
  }

  /** Empties the database and the fake Slack (messages, calls, views), as a fresh `npm start` would be. */
  async reset(): Promise<void> {
    const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(this.db);
    await this.workers.worker.pause();
    await this.clearRedis();
    await sql.raw(`truncate ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} restart identity cascade`).execute(this.db);
    await this.workers.worker.resume();
    this.fake.calls.length = 0;
    this.fake.messages.length = 0;
    this.fake.views.clear();
    this.fake.homes.clear();
    for (const c of defaultDirectory().channels) this.fake.channels.set(c.id, c);
    this.workspace.reset();
  }

  private clearRedis(): Promise<void> {
    return clearPrefix(this.redis, this.prefix);
  }

  /** A command as `user` would type it in the page, resolved once docket answered; throws if it did not. */
  async say(text: string, user = 'U0ALICE', channel = 'C0GROUP'): Promise<string> {
    const r = await this.workspace.command(user, channel, text, { wait: true });
    if (!r.ok) throw new Error(`${text}: ${r.error}`);
    return String(r.reply?.text ?? '');
  }

  /** The reference group: Alice coordinates; Bao and Carlos are police members; Dana observes. */
  async setupGroup(): Promise<void> {
    await this.say('/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai currency:CNY announce:#announcements');
    await this.say('/docket units add Police');
    await this.say('/docket members add @bao @carlos unit:Police');
    await this.say('/docket members add @dana role:observer');
  }
}
