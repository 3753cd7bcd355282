import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU time by process, from /proc (Linux): where a benchmark's time goes. Postgres is every
 * process named `postgres` (the server, its backends, and, through the server's cutime, the
 * backends that exited meanwhile); other people's queries on a shared server count too, so
 * read it on a quiet machine. Ticks are 1/100 s.
 */
const TICK_MS = 10;

interface Stat {
  comm: string;
  ppid: number;
  /** utime + stime, ms */
  own: number;
  /** cutime + cstime: reaped children, ms */
  children: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // fields after comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { comm, ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return undefined;
  }
}

function postgresMs(): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => ({ pid: Number(d), s: stat(Number(d)) }));
  const pg = procs.filter((p) => p.s?.comm === 'postgres');
  const pids = new Set(pg.map((p) => p.pid));
  let total = 0;
  for (const p of pg) total += p.s!.own + (pids.has(p.s!.ppid) ? 0 : p.s!.children);
  return total;
}

export interface CpuSample {
  at: number;
  worker: number;
  postgres: number;
  /** CPU ms of each backend serving the benchmark's database, by pid. */
  backends: Map<number, number>;
  redis: number;
  /** This process: the benchmark itself and the fake Slack, when it runs here. */
  bench: number;
  /** The whole machine's busy time (all cores), ms. */
  machineBusy: number;
}

function machineBusyMs(): number {
  return os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

/** The pids of the backends serving `database` (pg_stat_activity), for sampleCpu. */
export async function backendsOf(db: { selectFrom: unknown }, database: string): Promise<number[]> {
  const { sql } = await import('kysely');
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${database}`.execute(db as never);
  return rows.map((r) => r.pid);
}

export function sampleCpu(p: { worker: number[]; redis?: number; backends?: number[] }): CpuSample {
  const u = process.cpuUsage();
  return {
    at: performance.now(),
    worker: p.worker.reduce((s, pid) => s + (stat(pid)?.own ?? 0), 0),
    postgres: postgresMs(),
    backends: new Map((p.backends ?? []).map((pid) => [pid, stat(pid)?.own ?? 0])),
    redis: p.redis ? (stat(p.redis)?.own ?? 0) : 0,
    bench: (u.user + u.system) / 1000,
    machineBusy: machineBusyMs(),
  };
}

export interface CpuPer {
  worker: number;
  /** Every postgres process on the machine (other people's queries too, on a shared server). */
  postgres: number;
  /** The backends serving the benchmark's database only (those that exited meanwhile are missed). */
  backends: number;
  redis: number;
  bench: number;
  /** Share of the machine's cores busy over the interval (0–1). */
  busy: number;
}

/** CPU ms per item between two samples. */
export function cpuPer(a: CpuSample, b: CpuSample, items: number): CpuPer {
  const n = Math.max(1, items);
  return {
    worker: (b.worker - a.worker) / n,
    postgres: (b.postgres - a.postgres) / n,
    // A backend missing from the first sample started after it.
    backends: [...b.backends].reduce((s, [pid, ms]) => s + ms - (a.backends.get(pid) ?? 0), 0) / n,
    redis: (b.redis - a.redis) / n,
    bench: (b.bench - a.bench) / n,
    busy: (b.machineBusy - a.machineBusy) / ((b.at - a.at) * os.cpus().length),
  };
}

export const cpuLine = (c: CpuPer) =>
  `worker ${c.worker.toFixed(2)} ms, Postgres ${c.backends.toFixed(2)} ms (its backends; all of Postgres ${c.postgres.toFixed(2)} ms), Redis ${c.redis.toFixed(2)} ms, benchmark + fake Slack ${c.bench.toFixed(2)} ms (machine ${Math.round(c.busy * 100)} % busy)`;

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
