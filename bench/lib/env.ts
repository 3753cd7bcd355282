import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PrivateRedis } from '../../tests/helpers/private-redis.js';

/**
 * What the benchmarks stand on: a private redis-server (so memory can be measured, and
 * nothing shared is touched), a bench database, and real worker processes.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

export function flag(flags: string[], name: string, fallback: string): string {
  const hit = flags.find((f) => f.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

/** A private redis-server, so memory can be measured and nothing shared is touched. */
export const privateRedis = () => PrivateRedis.start();
export type { PrivateRedis };

/** A freshly migrated database for one benchmark run. */
export async function benchDatabase(): Promise<{ url: string; db: Db }> {
  const name = `docket_bench_${createHash('sha1').update(ROOT).digest('hex').slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const db = createDb(url, 4);
  await migrateToLatest(db);
  return { url, db };
}

export interface WorkerProcess {
  proc: ChildProcess;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
// A benchmark that fails must not leave workers behind.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** `src/main.ts --role=worker` as a child process; resolves once it is taking jobs. */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  // BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the worker.
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts', '--role=worker'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('"workers are up"')) {
        proc.stdout!.off('data', onData);
        // Keep draining; BENCH_WORKER_LOG=file keeps the worker's log lines for a closer look.
        if (process.env.BENCH_WORKER_LOG) proc.stdout!.pipe(createWriteStream(process.env.BENCH_WORKER_LOG, { flags: 'a' }));
        else proc.stdout!.resume();
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return {
    proc,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
