import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.js';
import { assertOutsideTransaction } from './transaction.js';

const OID = { int8: 20, int8Array: 1016, date: 1082 } as const;

/**
 * Type parsers for this pool only: ids and counts (int8) become numbers (ids stay far below
 * 2^53), lists of ids (int8[]) lists of numbers, and `date` stays the ISO string it is. Left alone, pg turns a date into a JS Date
 * at local midnight, which shifts the day in any zone west of the server.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.int8) return (v: string) => Number(v);
    if (oid === OID.int8Array) {
      // pg's own parser for int8[] (its TypeId list names no array types), which answers strings.
      const strings = (pg.types.getTypeParser as (oid: number, format?: string) => (v: string) => (string | null)[])(oid, format);
      return (v: string) => strings(v).map((x) => (x === null ? null : Number(x)));
    }
    if (oid === OID.date) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PoolOptions {
  max?: number;
  /** How long a query may wait for a free connection before it fails (pg waits forever by default). */
  acquireTimeoutMs?: number;
  /** Server-side limits: no statement, and no transaction left idle, may hold a connection longer. */
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** Client-side limit: a server that stopped answering (not refusing) still fails the query in time. */
  queryTimeoutMs?: number;
  /** Told about connection errors the pool survives (server restart, failover, network reset). */
  onError?: (err: Error) => void;
  /** Told of each statement sent through this Db (tests count a request's round trips with it). */
  onStatement?: () => void;
}

/**
 * Defaults a production service needs. A reminder post holds its transaction across one Slack
 * call (10 s timeout at most), so idle-in-transaction must allow more than that.
 */
export const POOL_DEFAULTS = { max: 10, acquireTimeoutMs: 5000, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000 } as const;

/** What readiness needs to know about a pool: how full it is, and whether it still moves. */
export interface PoolHealth {
  total: number;
  idle: number;
  waiting: number;
  max: number;
  /** How long requests have waited for a connection with none released meanwhile (0 when none wait). */
  stuckMs: number;
  lastError: string | undefined;
}

const watches = new WeakMap<Db, () => PoolHealth>();

export function createPool(databaseUrl: string, opts: PoolOptions = {}): pg.Pool {
  const o = { ...POOL_DEFAULTS, ...opts };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: o.max,
    types,
    connectionTimeoutMillis: o.acquireTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs,
    // A server that stopped answering (a blackholed network) fails the query here, a little
    // after the server's own statement timeout would have.
    query_timeout: o.queryTimeoutMs ?? (o.statementTimeoutMs ? o.statementTimeoutMs + 5000 : undefined),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // Without these listeners a dropped connection is an unhandled 'error' event and Node exits:
  // idle clients report through the pool, checked-out ones through the client itself (pg
  // removes the pool's listener while a client is out). The broken client is discarded and the
  // next query opens a fresh connection, so docket recovers by itself when the server is back.
  const onError = (err: Error) => o.onError?.(err);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

export function createDb(databaseUrl: string, opts: PoolOptions | number = {}): Db {
  const o: PoolOptions = typeof opts === 'number' ? { max: opts } : opts;
  const max = o.max ?? POOL_DEFAULTS.max;
  let lastError: string | undefined;
  const pool = createPool(databaseUrl, {
    ...o,
    onError: (err) => {
      lastError = (err as { code?: string }).code ?? err.message;
      o.onError?.(err);
    },
  });
  let lastRelease = Date.now();
  pool.on('release', () => {
    lastRelease = Date.now();
  });
  const guarded = {
    connect() {
      assertOutsideTransaction();
      // Waiting starts now if nobody else was waiting: a pool that was idle is not stuck.
      if (pool.waitingCount === 0 && pool.idleCount === 0 && pool.totalCount >= max) lastRelease = Math.max(lastRelease, Date.now());
      return pool.connect();
    },
    end: () => pool.end(),
  };
  const onStatement = o.onStatement;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: guarded }), ...(onStatement ? { log: () => onStatement() } : {}) });
  watches.set(db, () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max,
    stuckMs: pool.waitingCount > 0 ? Date.now() - lastRelease : 0,
    lastError,
  }));
  return db;
}

/** The pool behind a Db made by createDb (undefined for any other). */
export function poolHealth(db: Db): PoolHealth | undefined {
  return watches.get(db)?.();
}

/** Who docket logs in as, and to which database, as pg resolves them (the URL, else pg's defaults). */
export function loginOf(databaseUrl: string): { user: string; database: string } {
  const client = new pg.Client({ connectionString: databaseUrl }); // not connected: nothing to close
  return { user: client.user ?? '', database: client.database ?? '' };
}

/**
 * Creates the database named in the URL when it does not exist yet, connecting to the
 * `postgres` maintenance database to do it. Lets a newcomer run `npm start` on a bare server.
 * The database itself is tried first: a user who may not create databases, or a server with
 * no `postgres` database, still gets into one that exists. When it does not exist and cannot
 * be created, the error thrown is the database's own 3D000, with `cause` saying why not.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  const missing = await tryConnect(databaseUrl);
  if (!missing) return;
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a drop mid-way rejects the query below; nothing else to do
  try {
    await client.connect();
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) {
        await client.query(`create database ${pg.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
          if (err.code !== '42P04') throw err; // created meanwhile by another process
        });
      }
    } finally {
      await client.end();
    }
  } catch (err) {
    throw Object.assign(missing, { cause: err });
  }
}

/** Connects to the database and leaves: undefined when that worked, the error when it does not exist; any other error is thrown. */
async function tryConnect(databaseUrl: string): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') return err as Error;
    throw err;
  }
  await client.end();
  return undefined;
}
