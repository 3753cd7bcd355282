/**
 * What to tell the person starting docket when Postgres or Redis does not let it in: one line
 * each, saying where, as whom, why, and what to do. Never a password: only host, port, user
 * and database names, which the operator wrote into the URL themselves.
 */

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

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
