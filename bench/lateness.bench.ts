/**
 * Lateness of reminders: N pending reminders spread evenly over a window, delivered by a real
 * worker process through Postgres and the fake Slack; lateness = when the fake received the
 * post minus the reminder's time. Bare BullMQ delayed jobs (no Postgres, no Slack) with the
 * same schedule, in the same run, are the floor. Also: Redis memory per pending reminder.
 *
 *   npm run bench -- lateness [--sizes=100000,100000] [--window=300,180] [--concurrency=50] [--pool=20] [--warmup=2000] [--skip-bare]
 *
 * Both sides first get `warmup` reminders over 10 s (not measured): the measured window then
 * starts on a running, JIT-warm process, as in production. --warmup=0 measures a cold start.
 */
import { Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { systemClock } from '../src/domain/clock.js';
import { BullOutboxScheduler, outboxQueue } from '../src/platform/outbox/queue.js';
import { FakeSlack } from '../src/slack/fake/fake-slack.js';
import { benchDatabase, flag, privateRedis, startWorker, type PrivateRedis } from './lib/env.js';
import { machine, ms, ratio, runLine, stats, writeSection, type Stats } from './lib/report.js';
import { schedule, seedReminders } from './lib/seed.js';
import { backendsOf, cpuLine, cpuPer, loadAverage, sampleCpu, type CpuPer } from './lib/cpu.js';

const TOKEN = 'xoxb-bench';
const USERS = Number(process.env.BENCH_USERS ?? 2000);
const userId = (i: number) => `UB${String((i % USERS) + 1).padStart(5, '0')}`;
/** The warm-up reminders (not measured) are spread over this long, before the measured window. */
const WARMUP_MS = 10_000;

interface RunOptions {
  n: number;
  windowMs: number;
  concurrency: number;
  pool: number;
  warmup: number;
}

interface Result {
  n: number;
  windowS: number;
  bare: Stats;
  docket: Stats;
  bareBytes: number;
  docketBytes: number;
  lost: number;
  /** Still waiting in Postgres when the benchmark stopped waiting (a queue longer than the machine clears): late, not lost. */
  unfinished: number;
  duplicates: number;
  cpu: CpuPer;
  load: string;
}

async function bare(redis: PrivateRedis, o: RunOptions): Promise<{ lateness: Stats; bytes: number }> {
  const prefix = `bare${o.n}`;
  const queue = new Queue('bare', { connection: redis.client, prefix });
  const lead = 10_000 + o.n / 5;
  const { plan, measuredFrom } = schedule({ start: Date.now() + lead, warmup: o.warmup, warmupMs: WARMUP_MS, n: o.n, windowMs: o.windowMs, channel: userId });
  const total = plan.length;
  const before = await redis.usedMemory();
  for (let i = 0; i < total; i += 500) {
    const now = Date.now();
    await queue.addBulk(
      plan.slice(i, i + 500).map((p, k) => ({ name: 'bare', data: { due: p.at, i: i + k }, opts: { jobId: `b${i + k}`, timestamp: now, delay: Math.max(0, p.at - now), removeOnComplete: true } })),
    );
  }
  if (Date.now() > plan[0]!.at) console.warn('  (bare: enqueueing overran the start; increase the lead)');
  const bytes = ((await redis.usedMemory()) - before) / total;
  const late: number[] = [];
  let seen = 0;
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const worker = new Worker(
    'bare',
    async (job) => {
      const d = job.data as { due: number; i: number };
      if (d.i >= measuredFrom) late.push(Date.now() - d.due);
      if (++seen === total) resolveDone();
    },
    { connection: redis.client, prefix, concurrency: o.concurrency },
  );
  await done;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { lateness: stats(late), bytes };
}

async function docket(redis: PrivateRedis, o: RunOptions): Promise<{ lateness: Stats; bytes: number; lost: number; unfinished: number; duplicates: number; cpu: CpuPer; load: string }> {
  const prefix = `docket${o.n}`;
  const users = Array.from({ length: USERS }, (_, i) => ({ id: userId(i), name: `u${i}`, real_name: `User ${i}`, tz: 'Asia/Shanghai', locale: 'en-US' }));
  const fake = new FakeSlack({ token: TOKEN, teamId: 'TBENCH', users, channels: [{ id: 'C0BENCH', name: 'bench', bot_member: true }] });
  await fake.listen();
  const { url, db } = await benchDatabase();
  const log = pino({ level: 'warn' });
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'bench',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(o.concurrency),
    DATABASE_POOL_MAX: String(o.pool),
    // info, as in production: a line per reminder is part of the cost measured.
    LOG_LEVEL: 'info',
  };
  // Started first: its initial reconcile finds an empty schedule and marks Redis as holding it.
  const worker = await startWorker(env);
  const lead = 15_000 + o.n / 4;
  const { plan, measuredFrom } = schedule({ start: Date.now() + lead, warmup: o.warmup, warmupMs: WARMUP_MS, n: o.n, windowMs: o.windowMs, channel: userId });
  const rows = await seedReminders(db, plan);
  const measured = new Set(rows.slice(measuredFrom).map((r) => r.id));
  const due = new Map(rows.map((r) => [r.id, r.fire_at.getTime()]));
  const received = new Map<number, number[]>();
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  fake.on('call', (c: { method: string; ok: boolean; at: number; args: Record<string, any> }) => {
    if (c.method !== 'chat.postMessage' || !c.ok) return;
    const id = Number(c.args.metadata?.event_payload?.outbox_id);
    const list = received.get(id) ?? [];
    list.push(c.at);
    received.set(id, list);
    if (received.size === rows.length) resolveDone();
  });
  const queue = outboxQueue(redis.client, prefix);
  const before = await redis.usedMemory();
  await new BullOutboxScheduler(queue, systemClock, log).add(rows);
  if (Date.now() > plan[0]!.at) console.warn('  (docket: seeding overran the start; increase the lead)');
  const bytes = ((await redis.usedMemory()) - before) / rows.length;
  const database = new URL(url).pathname.slice(1);
  const pids = { worker: [worker.proc.pid!], redis: redis.pid };
  await new Promise((r) => setTimeout(r, Math.max(0, plan[0]!.at - Date.now())));
  const cpuFrom = sampleCpu({ ...pids, backends: await backendsOf(db, database) });
  await Promise.race([done, new Promise((r) => setTimeout(r, o.windowMs + WARMUP_MS + lead + 120_000))]);
  const cpu = cpuPer(cpuFrom, sampleCpu({ ...pids, backends: await backendsOf(db, database) }), received.size);
  const load = loadAverage();
  const late = [...received.entries()].filter(([id]) => measured.has(id)).map(([id, at]) => at[0]! - due.get(id)!);
  const duplicates = [...received.values()].reduce((s, a) => s + a.length - 1, 0);
  // A reminder not received is lost only if its row no longer waits: one still pending (or
  // claimed) when the wait ended would have gone out, later.
  const waiting = await db.selectFrom('outbox').select('id').where('state', 'in', ['pending', 'claimed']).execute();
  const unfinished = waiting.filter((r) => !received.has(r.id)).length;
  await worker.stop();
  await queue.obliterate({ force: true });
  await queue.close();
  await db.destroy();
  await fake.close();
  return { lateness: stats(late), bytes, lost: rows.length - received.size - unfinished, unfinished, duplicates, cpu, load };
}

export default async function lateness(flags: string[]): Promise<Result[]> {
  const sizes = flag(flags, 'sizes', '100000,100000').split(',').map(Number);
  const windows = flag(flags, 'window', '300,180').split(',').map(Number);
  const concurrency = Number(flag(flags, 'concurrency', '50'));
  const pool = Number(flag(flags, 'pool', '20'));
  const warmup = Number(flag(flags, 'warmup', '2000'));
  console.log(`machine: ${machine()}`);
  const redis = await privateRedis();
  const results: Result[] = [];
  try {
    for (const [i, n] of sizes.entries()) {
      const windowS = windows[i] ?? windows.at(-1)!;
      console.log(`${n} reminders over ${windowS} s, one worker process, concurrency ${concurrency}, Postgres pool ${pool}, ${warmup ? `after ${warmup} warm-up reminders` : 'from a cold start'}`);
      const o: RunOptions = { n, windowMs: windowS * 1000, concurrency, pool, warmup };
      const b = flags.includes('--skip-bare') ? { lateness: stats([NaN]), bytes: NaN } : await bare(redis, o);
      console.log(`  bare BullMQ   p50 ${ms(b.lateness.p50)}  p99 ${ms(b.lateness.p99)}  max ${ms(b.lateness.max)}  ${Math.round(b.bytes)} B/job`);
      const d = await docket(redis, o);
      console.log(`  docket        p50 ${ms(d.lateness.p50)}  p99 ${ms(d.lateness.p99)}  max ${ms(d.lateness.max)}  ${Math.round(d.bytes)} B/reminder  lost ${d.lost}  unfinished ${d.unfinished}  duplicates ${d.duplicates}`);
      console.log(`  p99 ratio docket/bare: ${ratio(d.lateness.p99, b.lateness.p99)}`);
      console.log(`  CPU per delivery: ${cpuLine(d.cpu)}; load average at the end ${d.load}`);
      results.push({ n, windowS, bare: b.lateness, docket: d.lateness, bareBytes: b.bytes, docketBytes: d.bytes, lost: d.lost, unfinished: d.unfinished, duplicates: d.duplicates, cpu: d.cpu, load: d.load });
    }
  } finally {
    await redis.stop();
  }
  const trio = (x: Stats) => `${ms(x.p50)} / ${ms(x.p99)} / ${ms(x.max)}`;
  const met = (r: Result) => r.lost === 0 && r.unfinished === 0 && r.duplicates === 0 && r.docket.p99 <= 2 * r.bare.p99 && r.docket.p99 < 1000;
  await writeSection(
    'Reminder lateness and Redis memory',
    [
      runLine(),
      `Pending reminders spread evenly over a window, delivered by one worker process (\`--role=worker\`, concurrency ${concurrency}, Postgres pool ${pool}, log level info) through Postgres and the fake Slack (in the benchmark's process); ${warmup ? `${warmup} warm-up reminders over 10 s before the measured window, not counted` : 'cold start'}. Lateness = when the fake Slack received the post − the reminder's time. Unfinished = still pending in Postgres when the benchmark stopped waiting (2 minutes after the window): late, not lost; lost = neither received nor waiting. Floor: bare BullMQ delayed jobs with the same schedule and concurrency, no Postgres, no Slack, in the same run. Memory: Redis \`used_memory\` growth per pending job (private redis-server).`,
      '',
      '| reminders | window | rate | bare BullMQ p50 / p99 / max | docket p50 / p99 / max | p99 ratio | lost | unfinished | duplicates | Redis per pending: bare / docket | CPU per delivery: worker / Postgres backends (all Postgres) / Redis / bench+fake, machine busy | load average after |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| ${r.n} | ${r.windowS} s | ${Math.round(r.n / r.windowS)}/s | ${trio(r.bare)} | ${trio(r.docket)} | **${ratio(r.docket.p99, r.bare.p99)}** | ${r.lost} | ${r.unfinished} | ${r.duplicates} | ${Math.round(r.bareBytes)} B / ${Math.round(r.docketBytes)} B | ${r.cpu.worker.toFixed(2)} / ${r.cpu.backends.toFixed(2)} (${r.cpu.postgres.toFixed(2)}) / ${r.cpu.redis.toFixed(2)} / ${r.cpu.bench.toFixed(2)} ms, ${Math.round(r.cpu.busy * 100)} % | ${r.load} |`),
      '',
      `Target: p99 ≤ 2× bare and < 1 s, none lost, none twice. ${results.map((r) => `${r.n} over ${r.windowS} s: ${met(r) ? 'met' : 'NOT met'}.`).join(' ')}`,
    ].join('\n'),
  );
  return results;
}
