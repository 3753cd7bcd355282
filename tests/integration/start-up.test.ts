import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cloneForFile } from '../helpers/databases.js';
import { clearPrefix, testPrefix } from '../helpers/harness.js';

// What a newcomer (or an operator) sees when `npm start` cannot start: the real process, one
// line on stderr naming what is wrong and how to fix it, never a stack trace.
const root = new URL('../..', import.meta.url).pathname;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_') && !k.startsWith('VITEST')));

function listening(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer().listen(port, () => resolve(srv));
  });
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
