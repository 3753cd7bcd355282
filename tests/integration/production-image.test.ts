import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../src/slack/fake/fake-slack.js';
import { cloneForFile } from '../helpers/databases.js';
import { clearPrefix, testPrefix } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * No Docker daemon runs here, so this carries out the Dockerfile's own instructions, read from
 * it, in two empty directories standing for its two stages: the build compiles, the runtime
 * installs the production dependencies only (`npm ci --omit=dev`, from the registry) and gets
 * the compiled dist/; then the image's CMD runs against this machine's Postgres and Redis and a
 * fake Slack, and must answer /readyz. A module that only a dev dependency provides, a file the
 * build forgets, a migration not compiled: each fails here as it would in the container.
 *
 * Two liberties, both named where they are taken: the build stage's `npm ci` (all dependencies,
 * from the same lockfile) reuses this checkout's node_modules, which CI installs with `npm ci`;
 * and `npm cache clean` is not run, since the cache is this machine's.
 */
const root = new URL('../..', import.meta.url).pathname;
const exec = promisify(execFile);
// npm run passes its own settings down as npm_* variables; a nested npm must not inherit them
// (they could point it at this checkout instead of the empty directory).
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !k.startsWith('VITEST') && k !== 'NODE_ENV'));

interface Instruction {
  op: string;
  args: string;
}
/** The Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). */
function stages(text: string): Instruction[][] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Instruction[][] = [];
  for (const l of lines) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(l)!;
    if (op!.toUpperCase() === 'FROM') out.push([]);
    out.at(-1)?.push({ op: op!.toUpperCase(), args: args! });
  }
  return out;
}

async function run(cmd: string, args: string[], cwd: string, timeout: number): Promise<void> {
  try {
    await exec(cmd, args, { cwd, env: cleanEnv, timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${e.message}\n${(e.stderr ?? '').slice(-3000)}`);
  }
}

/** COPY src… dest: from the repository (build context) into the stage's directory. */
function copy(args: string, into: string): void {
  const parts = args.split(/\s+/);
  const dest = join(into, parts.at(-1)!);
  for (const src of parts.slice(0, -1)) {
    const target = parts.length > 2 || dest.endsWith('/') ? join(dest, src) : dest;
    mkdirSync(join(target, '..'), { recursive: true });
    cpSync(join(root, src), target, { recursive: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'docket-image-'));
const prefix = testPrefix();
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const redis = new Redis('redis://127.0.0.1:6379');
  await clearPrefix(redis, prefix);
  redis.disconnect();
});

describe('the Dockerfile’s steps, carried out without Docker', () => {
  it('builds, installs only the production dependencies into an empty directory, and the image’s command answers /readyz', async (ctx) => {
    const ping = await exec('npm', ['ping'], { env: cleanEnv, timeout: 20_000 }).then(() => true, () => false);
    if (!ping) ctx.skip('the npm registry is not reachable from this machine: the production install cannot be tried');

    const [build, runtime] = stages(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(build?.[0]?.args).toMatch(/ AS build$/);
    expect(runtime?.[0]?.args).toMatch(/ AS runtime$/);
    const buildDir = join(work, 'build');
    const appDir = join(work, 'app');
    mkdirSync(buildDir);
    mkdirSync(appDir);

    for (const i of build!) {
      if (i.op === 'COPY') copy(i.args, buildDir);
      else if (i.op === 'RUN' && i.args === 'npm ci') symlinkSync(join(root, 'node_modules'), join(buildDir, 'node_modules')); // liberty 1
      else if (i.op === 'RUN') await run('sh', ['-c', i.args], buildDir, 300_000);
    }
    expect(existsSync(join(buildDir, 'dist/src/main.js'))).toBe(true);

    const env: Record<string, string> = {};
    let cmd: string[] | undefined;
    for (const i of runtime!) {
      if (i.op === 'ENV') {
        const [k, v] = i.args.split('=');
        env[k!] = v!;
      } else if (i.op === 'COPY' && i.args.startsWith('--from=build ')) {
        const [from, to] = i.args.replace('--from=build ', '').split(/\s+/);
        cpSync(join(buildDir, from!.replace(/^\/app\//, '')), join(appDir, to!), { recursive: true });
      } else if (i.op === 'COPY') copy(i.args, appDir);
      else if (i.op === 'RUN' && i.args.startsWith('apt-get ')) {
        // Liberty 3, not run: Debian packages for the image only, the CJK font the digest's chart
        // is drawn with (this machine has it from .ci/run).
        expect(i.args).toMatch(/apt-get install -y --no-install-recommends fonts-wqy-microhei/);
      } else if (i.op === 'RUN') {
        const [install, ...rest] = i.args.split(/\s*&&\s*/);
        expect(install).toBe('npm ci --omit=dev');
        expect(rest).toEqual(['npm cache clean --force']); // liberty 2: not run
        await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], appDir, 400_000);
      } else if (i.op === 'CMD') cmd = JSON.parse(i.args) as string[];
    }
    expect(env.NODE_ENV).toBe('production');
    expect(cmd).toEqual(['node', 'dist/src/main.js']);
    // Only production dependencies: what the app needs at run time must not come from these.
    for (const dev of ['typescript', 'tsx', 'vitest', '@electric-sql/pglite', 'playwright-core']) expect(existsSync(join(appDir, 'node_modules', dev)), dev).toBe(false);
    for (const dep of ['@slack/bolt', 'bullmq', 'kysely', 'pg']) expect(existsSync(join(appDir, 'node_modules', dep)), dep).toBe(true);

    const fake = new FakeSlack({ token: 'xoxb-image-test' });
    await fake.listen();
    const port = await freePort();
    const child = spawn(process.execPath, cmd!.slice(1), {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-image-test',
        SLACK_SIGNING_SECRET: 'image-test-secret',
        SLACK_API_URL: fake.apiUrl,
        DATABASE_URL: await cloneForFile(),
        REDIS_URL: 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: prefix,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const ready = await until(async () => {
        if (child.exitCode !== null) throw new Error(`the image's command exited (${child.exitCode}): ${stderr}`);
        const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return r?.status === 200 ? ((await r.json()) as { checks: Record<string, boolean> }) : undefined;
      }, 90_000, 250);
      expect(ready.checks).toMatchObject({ postgres: true, redis: true });
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
    }
  }, 900_000);
});
