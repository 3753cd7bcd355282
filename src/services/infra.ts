import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { createDb, ensureDatabase } from '../db/connect.js';
import type { Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

/** A start-up failure a newcomer can act on: one line saying what is missing and how to start it. */
export class InfraError extends Error {
  override name = 'InfraError';
}

function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** Connects to Postgres, creating the database if needed, and applies pending migrations. */
export async function openDatabase(config: Config): Promise<Db> {
  try {
    await ensureDatabase(config.databaseUrl);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new InfraError(
      code === 'ECONNREFUSED'
        ? `PostgreSQL is not reachable at ${where(config.databaseUrl)}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or set DATABASE_URL)`
        : `PostgreSQL at ${where(config.databaseUrl)} refused us (${code ?? (err as Error).message}). Check DATABASE_URL.`,
    );
  }
  const db = createDb(config.databaseUrl, config.databasePoolMax);
  await sql`select 1`.execute(db);
  await migrateToLatest(db);
  return db;
}

export async function openRedis(config: Config): Promise<Redis> {
  // BullMQ workers need maxRetriesPerRequest: null; the same setting suits the web side.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, enableOfflineQueue: true });
  redis.on('error', () => undefined); // reconnects on its own; readiness reports the state
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    throw new InfraError(
      `Redis is not reachable at ${where(config.redisUrl)}. Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no (or set REDIS_URL)`,
    );
  }
  return redis;
}

/** Both stores, or neither: a failure to reach Redis closes the database pool again. */
export async function openInfra(config: Config): Promise<{ db: Db; redis: Redis }> {
  const db = await openDatabase(config);
  try {
    return { db, redis: await openRedis(config) };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
