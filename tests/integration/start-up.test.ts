import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FakeSlack } from '../../src/slack/fake/fake-slack.js';
import { admin, cloneForFile, databaseUrl, TEMPLATE_DB } from '../helpers/databases.js';
import { clearPrefix, testPrefix } from '../helpers/harness.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/wait.js';

// What a newcomer (or an operator) sees when `npm start` cannot start: the real process, one
// line on stderr naming what is wrong and how to fix it, never a stack trace.
const root = new URL('../..', import.meta.url).pathname;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_') && !k.startsWith('VITEST')));
const TOKEN = 'xoxb-start-up-test';
const SECRET = 'start-up-test-secret';

function listening(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer().listen(port, () => resolve(srv));
  });
}

async function freePort(): Promise<number> {
  const srv = await listening();
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Starts docket as `npm start` does; `stderr` and `stdout` collect what it says. */
function start(env: NodeJS.ProcessEnv): { child: ChildProcess; stderr: () => string; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, stderr: () => err, stdout: () => out, exited };
}

async function run(env: NodeJS.ProcessEnv): Promise<{ code: number | null; err: string }> {
  const p = start(env);
  const code = await p.exited;
  return { code, err: p.stderr() };
}

/** One line, naming the problem; no stack trace, no second line. */
function expectOneLine(err: string): void {
  expect(err.trim().split('\n'), err).toHaveLength(1);
  expect(err).toMatch(/^docket: /);
  expect(err).not.toMatch(/\n\s+at /);
}

const prefix = testPrefix();
let base: NodeJS.ProcessEnv;

beforeAll(async () => {
  base = { ...cleanEnv, PORT: '0', DATABASE_URL: await cloneForFile(), LOG_LEVEL: 'warn', QUEUE_PREFIX: prefix };
}, 60_000);

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  await clearPrefix(redis, prefix);
  redis.disconnect();
});

describe('the HTTP port', () => {
  it('says in one line that the port is taken, and how to free it', async () => {
    const other = await listening();
    const { port } = other.address() as { port: number };
    try {
      const r = await run({ ...base, PORT: String(port) });
      expect(r.code).toBe(1);
      expectOneLine(r.err);
      expect(r.err).toContain(`Port ${port} is already in use`);
      expect(r.err).toContain('or set PORT to a free port');
    } finally {
      other.close();
    }
  });
});

describe('Slack at start-up', () => {
  let fake: FakeSlack;
  let proxy: TcpProxy;

  beforeAll(async () => {
    fake = new FakeSlack({ token: TOKEN });
    await fake.listen();
    proxy = await TcpProxy.start(Number(new URL(fake.apiUrl).port));
  });

  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  const slackEnv = (token = TOKEN) => ({ ...base, SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `http://127.0.0.1:${proxy.port}/api/` });

  it('refused token: one line naming SLACK_BOT_TOKEN and why, and the process stops', async () => {
    const r = await run(slackEnv('xoxb-not-the-right-one'));
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth): it is not a valid token; set SLACK_BOT_TOKEN to');
    expect(r.err).not.toContain('xoxb-not-the-right-one');
  });

  it('a revoked token is named as such', async () => {
    fake.inject({ method: 'auth.test', error: 'token_revoked', times: 1 });
    const r = await run(slackEnv());
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain('Slack refused SLACK_BOT_TOKEN (token_revoked): it has been revoked');
  });

  it('installed through OAuth: no token of its own to check; ready once Slack answers api.test, and /slack/install sends the browser to Slack', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const from = fake.calls.length;
    const env = { ...base, PORT: String(port), SLACK_API_URL: `http://127.0.0.1:${proxy.port}/api/`, SLACK_SIGNING_SECRET: SECRET, SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-0123456789', TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}` };
    const bot = start(env);
    try {
      await until(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 30_000);
      expect(fake.calls.slice(from).map((c) => c.method)).toEqual(['api.test']);
      const install = await fetch(`${url}/slack/install`, { redirect: 'manual' });
      expect(install.status).toBe(302);
      const to = new URL(install.headers.get('location')!);
      expect(`${to.origin}${to.pathname}`).toBe(`http://127.0.0.1:${proxy.port}/oauth/v2/authorize`);
      expect(to.searchParams.get('redirect_uri')).toBe(`${url}/slack/oauth_redirect`);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stderr()).toBe('');
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
  }, 60_000);

  it('unreachable: tries again with a growing delay, one line per attempt, and is not ready until Slack answers', async () => {
    proxy.refusing = true;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const bot = start({ ...slackEnv(), PORT: String(port) });
    try {
      await until(() => bot.stderr().includes('(attempt 2)'), 20_000);
      const lines = bot.stderr().trim().split('\n');
      expect(lines[0]).toBe(`docket: Slack is not reachable at 127.0.0.1:${proxy.port} (ECONNRESET); trying again in 1 s (attempt 1); docket is not ready until Slack answers.`);
      expect(lines[1]).toMatch(/trying again in 2 s \(attempt 2\)/);
      expect(bot.stderr()).not.toMatch(/\n\s+at /);
      // The client's own warning for each failed request would say it three times an attempt.
      expect(bot.stdout()).not.toContain('http request failed');

      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { slack: boolean } }).checks.slack).toBe(false);
      // Bolt cannot authorize a request yet: refused at once, not after Slack's 3 s.
      expect((await fetch(`${url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(503);

      proxy.refusing = false;
      await until(async () => (await fetch(`${url}/readyz`)).status === 200, 40_000);
      expect(bot.stderr()).toMatch(/docket: Slack answered at attempt \d+; docket is ready\.\n$/);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      proxy.refusing = false;
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('Redis', () => {
  it('the advice to start it names the configured host and port', async () => {
    const port = await freePort();
    const r = await run({ ...base, REDIS_URL: `redis://localhost:${port}` });
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain(`Redis is not reachable at localhost:${port}. Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port ${port} `);
  });

  it('a refused password is told apart from a Redis that is not there, without the password', async () => {
    const r = await run({ ...base, REDIS_URL: 'redis://nobody:not-the-password@127.0.0.1:6379' });
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain('Redis at 127.0.0.1:6379 refused us (WRONGPASS): check the user and password in REDIS_URL.');
    expect(r.err).not.toContain('not-the-password');
  });
});

describe('a Postgres that will not let docket in', () => {
  // A role of this checkout's own that may log in but not create databases (auth is trust here).
  const role = `${TEMPLATE_DB}_nocreate`;
  const at = (user: string, db: string) => {
    const url = new URL(databaseUrl(db));
    url.username = user;
    return url.toString();
  };

  // A database the role may enter but not create tables in (as on PostgreSQL 15 and later, for
  // anyone but the owner).
  const locked = `${TEMPLATE_DB}_locked`;

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`drop database if exists "${locked}" with (force)`);
      await c.query(`drop role if exists "${role}"`);
      await c.query(`create role "${role}" login nocreatedb`);
      await c.query(`create database "${locked}"`);
    });
    const c = new pg.Client({ connectionString: databaseUrl(locked) });
    await c.connect();
    await c.query('revoke create on schema public from public');
    await c.end();
  });

  afterAll(async () => {
    await admin(async (c) => {
      await c.query(`drop database if exists "${locked}" with (force)`);
      await c.query(`drop role if exists "${role}"`);
    });
  });

  it('says which user, which database and why: a role that does not exist', async () => {
    const r = await run({ ...base, DATABASE_URL: at('no_such_docket_user', 'docket') });
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain('PostgreSQL at 127.0.0.1:5432 refused user "no_such_docket_user" for database "docket": no such role (28000). Create it (createuser no_such_docket_user) or fix the user in DATABASE_URL.');
  });

  it('says which user, which database and why: a database that does not exist and that the user may not create', async () => {
    const r = await run({ ...base, DATABASE_URL: at(role, 'no_such_docket_db') });
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain(`refused user "${role}" for database "no_such_docket_db": the database does not exist and "${role}" may not create it (42501). Create it (createdb -O ${role} no_such_docket_db, as a superuser)`);
  });

  it('says which user, which database and why: a user that may log in but not create the tables', async () => {
    const r = await run({ ...base, DATABASE_URL: at(role, locked) });
    expect(r.code).toBe(1);
    expectOneLine(r.err);
    expect(r.err).toContain(`refused user "${role}" for database "${locked}": permission denied for schema public (42501). Make "${role}" the database's owner`);
  });
});
