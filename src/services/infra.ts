import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { createDb, ensureDatabase } from '../db/connect.js';
import type { Db } from '../db/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Logger } from '../logger.js';
import { START_POSTGRES, postgresRefusal, postgresTrouble, redisAdvice, redisRefusal, where } from './infra-advice.js';

/** A start-up failure a newcomer can act on: one line per missing service, saying how to start it. */
export class InfraError extends Error {
  override name = 'InfraError';
}

export interface InfraOptions {
  /** Where local mode keeps the embedded database when no Postgres answers (default .docket/pglite). */
  embeddedDir?: string;
  /** Tells the person starting docket which database it uses, when that is not the obvious one. */
  notice?: (line: string) => void;
  /** Told about connection errors the pools survive (Postgres restarted, network reset). */
  log?: Logger;
}

export interface Infra {
  db: Db;
  /** Where db connects (the embedded database's address when local mode fell back to it). */
  databaseUrl: string;
  /** A small pool of its own for recording requests before their ack: busy handlers never delay an ack. */
  intakeDb: Db;
  redis: Redis;
  /** Set when local mode fell back to the embedded database. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

/**
 * Recording a request must answer well inside Slack's 3 s: a second at most for a connection,
 * two for the insert, or the person is told the database is unavailable.
 */
export const INTAKE_POOL = { max: 4, acquireTimeoutMs: 1000, statementTimeoutMs: 2000, queryTimeoutMs: 2000 } as const;

/**
 * The embedded database, used only when trying docket: local mode, DATABASE_URL not set, and
 * nothing answering on the default address. One process at a time may use its folder.
 */
async function embed(config: Config, opts: InfraOptions): Promise<EmbeddedPostgres> {
  const dir = opts.embeddedDir ?? '.docket/pglite';
  const lock = `${dir}.pid`;
  const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : 0;
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new InfraError(`Another docket (pid ${holder}) is using the embedded database in ${dir}; stop it first, or start PostgreSQL: ${START_POSTGRES}`);
  }
  let embedded: EmbeddedPostgres;
  try {
    embedded = await startEmbeddedPostgres(dir);
  } catch (err) {
    throw new InfraError(`PostgreSQL is not reachable at ${where(config.databaseUrl)} and the embedded database did not start (${(err as Error).message}). Start PostgreSQL with: ${START_POSTGRES} (or set DATABASE_URL)`);
  }
  writeFileSync(lock, String(process.pid));
  opts.notice?.(`PostgreSQL is not running at ${where(config.databaseUrl)}: using the embedded PGlite database in ${dir} (start PostgreSQL, or set DATABASE_URL, to use a server).`);
  return {
    ...embedded,
    async stop() {
      await embedded.stop();
      rmSync(lock, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Connects to Postgres (creating the database if needed, or embedding one in local mode) and migrates it. */
export async function openDatabase(config: Config, opts: InfraOptions = {}): Promise<{ db: Db; intakeDb: Db; url: string; embedded: EmbeddedPostgres | undefined }> {
  let url = config.databaseUrl;
  let embedded: EmbeddedPostgres | undefined;
  try {
    await ensureDatabase(url);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNREFUSED' && config.slack.kind === 'local' && !config.databaseUrlGiven) {
      embedded = await embed(config, opts);
      url = embedded.url;
    } else {
      throw new InfraError(postgresTrouble(config.databaseUrl, err));
    }
  }
  const onError = (err: Error) => opts.log?.warn({ err: { name: err.name, code: (err as { code?: string }).code } }, 'database connection lost');
  const db = createDb(url, { max: config.databasePoolMax, acquireTimeoutMs: config.databaseAcquireTimeoutMs, statementTimeoutMs: config.databaseStatementTimeoutMs, onError });
  const intakeDb = createDb(url, { ...INTAKE_POOL, onError });
  try {
    await sql`select 1`.execute(db);
    // Migrations may rightly take longer than any request's statement: no timeouts for them.
    const migrator = createDb(url, { max: 1, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 });
    try {
      await migrateToLatest(migrator);
    } finally {
      await migrator.destroy();
    }
  } catch (err) {
    await Promise.all([db.destroy(), intakeDb.destroy()]);
    await embedded?.stop();
    // In, but not allowed to create docket's tables (PostgreSQL 15 and later: a non-owner of the database).
    const refusal = embedded ? undefined : postgresRefusal(config.databaseUrl, err);
    throw refusal ? new InfraError(refusal) : err;
  }
  return { db, intakeDb, url, embedded };
}

export async function openRedis(config: Config): Promise<Redis> {
  // BullMQ workers need maxRetriesPerRequest: null; the same setting suits the web side.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, enableOfflineQueue: true });
  // Reconnects on its own; readiness reports the state. A refused AUTH arrives here, while
  // connect() only says the connection closed.
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    // A ReplyError is Redis answering (a refused password); anything else, nobody answered.
    const answered = [err as Error, lastError].find((e) => e?.name === 'ReplyError');
    if (answered) throw new InfraError(redisRefusal(config.redisUrl, answered));
    throw new InfraError(`Redis is not reachable at ${where(config.redisUrl)}. ${redisAdvice(config.redisUrl)}`);
  }
  return redis;
}

/**
 * Both stores, or neither. Both are tried, so a newcomer missing both learns it at once
 * (one line each); whatever did open is closed again.
 */
export async function openInfra(config: Config, opts: InfraOptions = {}): Promise<Infra> {
  const [pg, rd] = await Promise.allSettled([openDatabase(config, opts), openRedis(config)]);
  if (pg.status === 'fulfilled' && rd.status === 'fulfilled') {
    const { db, intakeDb, url, embedded } = pg.value;
    const redis = rd.value;
    return {
      db,
      databaseUrl: url,
      intakeDb,
      redis,
      embedded,
      async close() {
        await Promise.all([db.destroy(), intakeDb.destroy()]);
        redis.disconnect();
        await embedded?.stop();
      },
    };
  }
  if (pg.status === 'fulfilled') {
    await Promise.all([pg.value.db.destroy(), pg.value.intakeDb.destroy()]);
    await pg.value.embedded?.stop();
  }
  if (rd.status === 'fulfilled') rd.value.disconnect();
  const failures = [pg, rd].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const other = failures.find((e) => !(e instanceof InfraError));
  if (other) throw other;
  throw new InfraError(failures.map((e) => (e as Error).message).join('\n'));
}
