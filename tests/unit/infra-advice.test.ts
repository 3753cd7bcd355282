import { describe, expect, it } from 'vitest';
import { postgresTrouble, redisAdvice, redisRefusal } from '../../src/services/infra-advice.js';

// What the integration tests cannot provoke on a trust-auth server on this machine: a wrong
// password, pg_hba.conf, a host that does not resolve, a Redis on another machine.
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const url = 'postgres://docket:s3cret@db.example:6543/ledger';

describe('start-up advice for Postgres', () => {
  it('a wrong password: which user, which database, and never the password', () => {
    const line = postgresTrouble(url, pgError('28P01', 'password authentication failed for user "docket"'));
    expect(line).toBe('PostgreSQL at db.example:6543 refused user "docket" for database "ledger": wrong password (28P01). Fix the password in DATABASE_URL.');
    expect(line).not.toContain('s3cret');
  });

  it('pg_hba.conf turning docket away', () => {
    const line = postgresTrouble(url, pgError('28000', 'no pg_hba.conf entry for host "10.0.0.5", user "docket", database "ledger", no encryption'));
    expect(line).toBe('PostgreSQL at db.example:6543 refused user "docket" for database "ledger": pg_hba.conf has no entry allowing it (28000). Add one and reload PostgreSQL, or fix DATABASE_URL.');
  });

  it('a database that does not exist, whatever kept docket from creating it', () => {
    const line = postgresTrouble(url, Object.assign(pgError('3D000', 'database "ledger" does not exist'), { cause: pgError('3D000', 'database "postgres" does not exist') }));
    expect(line).toBe('PostgreSQL at db.example:6543 refused user "docket" for database "ledger": the database does not exist and could not be created (database "postgres" does not exist) (3D000). Create it (createdb -O docket ledger) or fix the database in DATABASE_URL.');
  });

  it('a host that does not resolve is no refusal', () => {
    expect(postgresTrouble(url, pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'))).toBe(
      'PostgreSQL is not reachable at db.example:6543 (ENOTFOUND). Check the host and port in DATABASE_URL, and that the network lets docket through.',
    );
  });
});

describe('start-up advice for Redis', () => {
  it('on this machine: the command, with the configured port', () => {
    expect(redisAdvice('redis://127.0.0.1:6380/2')).toBe('Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6380 --save "" --appendonly no (or set REDIS_URL)');
    expect(redisAdvice('redis://[::1]')).toContain('--bind ::1 --port 6379 ');
  });

  it('on another machine: what to check, not a command that would start one here', () => {
    expect(redisAdvice('rediss://cache.example:7000')).toBe('Check that Redis runs on cache.example and listens on port 7000, or set REDIS_URL');
  });

  it('Redis answering with an error: the password only when that is what it refused', () => {
    expect(redisRefusal('redis://127.0.0.1:6379', new Error('NOAUTH Authentication required.'))).toBe('Redis at 127.0.0.1:6379 refused us (NOAUTH): check the user and password in REDIS_URL.');
    expect(redisRefusal('redis://127.0.0.1:6379', new Error('LOADING Redis is loading the dataset in memory'))).toBe(
      "Redis at 127.0.0.1:6379 answered with an error (LOADING Redis is loading the dataset in memory). Check REDIS_URL and the Redis server's log.",
    );
  });
});
