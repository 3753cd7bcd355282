import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cloneForFile } from '../helpers/databases.js';
import { clearPrefix, testPrefix } from '../helpers/harness.js';

// The README's quick start, as a newcomer runs it: `npm start` with no Slack variables, then
// `npm run say` from another terminal. Both run as real processes here.
const root = new URL('../..', import.meta.url).pathname;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_') && !k.startsWith('VITEST')));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const prefix = testPrefix();
let bot: ChildProcess;
let url: string;
let env: NodeJS.ProcessEnv;
let exited: Promise<number | null>;

beforeAll(async () => {
  const port = await freePort();
  // A queue prefix of its own: jobs left in the shared Redis by an earlier run (whose database
  // numbered its rows from 1 too) must not stand in for this run's.
  env = { ...cleanEnv, PORT: String(port), DATABASE_URL: await cloneForFile(), LOG_LEVEL: 'warn', QUEUE_PREFIX: prefix };
  url = `http://127.0.0.1:${port}`;
  bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env });
  exited = new Promise((resolve) => bot.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    bot.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('built-in local workspace')) resolve();
    });
    bot.on('exit', (code) => reject(new Error(`bot exited early (${code}): ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill('SIGKILL');
  const redis = new Redis('redis://127.0.0.1:6379');
  await clearPrefix(redis, prefix);
  redis.disconnect();
});

const say = (text: string, ...extra: string[]) => run(['src/local/say.ts', '--url', url, text, ...extra], env);

describe('local mode', () => {
  it('serves the bot with no Slack credentials; say sets up, opens, lists, shows and closes a case', async () => {
    expect((await say('/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai announce:#announcements')).out).toContain('*Ganzi Office* is set up');
    const opened = await say('/case open Zhang, fled 2003');
    expect(opened.out).toMatch(/\[posted in #fugitive-recovery\]\n:file_folder: @alice opened \*GZ-\d{4}-001\*/);
    const ref = /GZ-\d{4}-001/.exec(opened.out)![0];
    expect((await say('/case list')).out).toContain(`*${ref}* Zhang, fled 2003: open`);
    expect((await say(`/case show ${ref}`, '--user', 'carlos')).out).toContain(`There is no case ${ref}`); // to a non-member, the same as a reference that does not exist
    expect((await say(`/case show ${ref}`)).out).toContain(`== ${ref} · Zhang, fled 2003 ==`);
    const closed = await say(`/case close ${ref} returned`, '--click', 'Confirm');
    expect(closed.out).toContain('> alice clicks [Confirm]');
    expect(closed.out).toContain('[posted in #announcements]');
    expect(closed.out).toContain(`Closed *${ref}* (returned).`);
  });

  it('answers health checks and stops cleanly on SIGTERM', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('start-up failures', () => {
  it('names a bad variable in one line', async () => {
    const r = await run(['src/main.ts'], { ...cleanEnv, PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('PORT is invalid');
  });

  it('says in one line that Postgres is not reachable, and how to start it', async () => {
    const r = await run(['src/main.ts'], { ...cleanEnv, PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/docket' });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('PostgreSQL is not reachable at 127.0.0.1:1. Start it with: pg_ctlcluster');
  });

  it('says in one line that Redis is not reachable', async () => {
    const r = await run(['src/main.ts'], { ...cleanEnv, PORT: '0', DATABASE_URL: env.DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Redis is not reachable at 127.0.0.1:1. Start it with: redis-server');
  });
});
