import { loginOf } from '../db/connect.js';

/**
 * What to tell the person starting docket when Postgres or Redis does not let it in: one line
 * each, saying where, as whom, why, and what to do. Never a password: only host, port, user
 * and database names, which the operator wrote into the URL themselves.
 */

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Nobody answered at that address, for a reason other than a refused connection. */
const NETWORK_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

export const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

function hostOf(u: URL): string {
  return u.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** The command that starts Redis where REDIS_URL points, or what to check when that is another machine. */
export function redisAdvice(redisUrl: string): string {
  const u = new URL(redisUrl);
  const host = hostOf(u);
  const port = u.port || '6379';
  if (!LOCAL_HOSTS.has(host)) return `Check that Redis runs on ${host} and listens on port ${port}, or set REDIS_URL`;
  const bind = host === 'localhost' ? '127.0.0.1' : host;
  return `Start it with: redis-server --daemonize yes --bind ${bind} --port ${port} --save "" --appendonly no (or set REDIS_URL)`;
}

/** Redis answered, but not as docket needs: a password it refused, or an error of its own (still loading, say). */
export function redisRefusal(redisUrl: string, err: Error): string {
  const code = /^[A-Z]+/.exec(err.message)?.[0] ?? err.name;
  if (code === 'WRONGPASS' || code === 'NOAUTH') return `Redis at ${where(redisUrl)} refused us (${code}): check the user and password in REDIS_URL.`;
  return `Redis at ${where(redisUrl)} answered with an error (${err.message.slice(0, 120)}). Check REDIS_URL and the Redis server's log.`;
}

/** Why docket could not get into Postgres at start-up, and what to do: one line. */
export function postgresTrouble(databaseUrl: string, err: unknown): string {
  const code = (err as PgError | undefined)?.code;
  const at = where(databaseUrl);
  if (code === 'ECONNREFUSED') return `PostgreSQL is not reachable at ${at}. Start it with: ${START_POSTGRES} (or set DATABASE_URL)`;
  if (code && NETWORK_ERRORS.has(code)) return `PostgreSQL is not reachable at ${at} (${code}). Check the host and port in DATABASE_URL, and that the network lets docket through.`;
  return postgresRefusal(databaseUrl, err) ?? `PostgreSQL at ${at} refused us (${code ?? (err as Error).message}). Check DATABASE_URL.`;
}

interface PgError {
  code?: string;
  message?: string;
  cause?: unknown;
}

/**
 * A Postgres that answered but would not let docket in: which user, which database, why, and
 * the fix. Undefined for an error that is no refusal (the caller has its own line for those).
 */
export function postgresRefusal(databaseUrl: string, err: unknown): string | undefined {
  const e = (err ?? {}) as PgError;
  const { user, database } = loginOf(databaseUrl);
  const at = `PostgreSQL at ${where(databaseUrl)} refused user "${user}" for database "${database}"`;
  switch (e.code) {
    case '28P01':
      return `${at}: wrong password (28P01). Fix the password in DATABASE_URL.`;
    case '28000': {
      const message = e.message ?? '';
      if (/^role .* does not exist/.test(message)) return `${at}: no such role (28000). Create it (createuser ${user}) or fix the user in DATABASE_URL.`;
      if (message.includes('pg_hba.conf')) return `${at}: pg_hba.conf has no entry allowing it (28000). Add one and reload PostgreSQL, or fix DATABASE_URL.`;
      return `${at}: ${message} (28000). Check DATABASE_URL.`;
    }
    case '3D000': {
      const cause = e.cause as PgError | undefined;
      const createdb = `createdb -O ${user} ${database}`;
      if (cause?.code === '42501') return `${at}: the database does not exist and "${user}" may not create it (42501). Create it (${createdb}, as a superuser) or fix the database in DATABASE_URL.`;
      const why = cause ? ` and could not be created (${cause.message ?? cause.code})` : '';
      return `${at}: the database does not exist${why} (3D000). Create it (${createdb}) or fix the database in DATABASE_URL.`;
    }
    case '42501':
      return `${at}: ${e.message ?? 'permission denied'} (42501). Make "${user}" the database's owner (ALTER DATABASE ${database} OWNER TO ${user}, as a superuser), or fix DATABASE_URL.`;
    default:
      return undefined;
  }
}
