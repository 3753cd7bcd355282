/**
 * Acknowledgement latency, for a slash command (`/case open`), a button (an item's "Done")
 * and a form submission (the add-item form), at 100 and 500 requests a second, against
 * docket and against a bare Bolt app whose listeners only ack, in the same run. The load
 * generator runs in a process of its own (load-process.ts), the fake Slack in another.
 * Target (issue 13): docket's p99 within 2× of bare Bolt's for each surface and rate; no
 * error at 1,000 a second. Each docket run also records the CPU time per request of the
 * web process and of Postgres, counted until every request of the run has been answered.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startDocket, type Docket } from '../src/app.js';
import { INTAKE_POOL } from '../src/services/infra.js';
import { loadConfig } from '../src/config.js';
import { createDb, ensureDatabase } from '../src/db/connect.js';
import type { Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ACTION_VIEWS, addItemModal } from '../src/slack/blocks/action-modals.js';
import { ITEM_ACTIONS } from '../src/slack/blocks/action-ids.js';
import { messagesFor } from '../src/i18n/index.js';
import { runLoad, spawnFakeSlack, type LoadResult } from './lib/load.js';
import type { LoadSpec } from './load-process.js';
import { fmt, percentile, runLine, writeSection } from './lib/report.js';
import { flag, startWorker, type WorkerProcess } from './lib/env.js';

const PEAK = 1000;
/** Slack shows the person an error when the ack takes longer than this: such an answer counts as an error. */
const SLACK_TIMEOUT_MS = 3000;
const SECRET = 'bench-secret';
const TOKEN = 'xoxb-bench';
const TEAM = 'T0LOCAL';
const CHANNEL = 'C0GROUP';
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/docket_bench';
/** Items the button runs press "Done" on, in turn (the first press closes one, later ones find it done). */
const ITEMS = 300;

type Surface = 'command' | 'button' | 'form';
type Shape = { surface: 'command'; command: string; text: string } | { surface: 'button'; actionId: string; values: string[] } | { surface: 'form'; view: Record<string, unknown>; state: Record<string, unknown> };

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** CPU seconds (user + system, every thread) a process has used so far; 0 once it is gone. */
function processCpu(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / tick;
  } catch {
    return 0;
  }
}

/** CPU seconds every postgres process has used so far, by pid. */
function postgresCpu(): Map<number, number> {
  let pids: string;
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' });
  } catch {
    return new Map();
  }
  return new Map(pids.split('\n').filter(Boolean).map((p) => [Number(p), processCpu(Number(p))]));
}

function cpuSince(before: Map<number, number>): number {
  let s = 0;
  for (const [pid, t] of postgresCpu()) s += t - (before.get(pid) ?? 0);
  return s;
}

/** Requests docket refused at its ack (busy, or no database), as its metrics count them. */
async function refusedSoFar(docket: Docket): Promise<number> {
  const m = await docket.metrics.requests.get();
  return m.values.filter((v) => v.labels.outcome === 'busy' || v.labels.outcome === 'unavailable').reduce((n, v) => n + v.value, 0);
}

async function unanswered(db: Db): Promise<number> {
  const r = await db.selectFrom('request_inbox').select((e) => e.fn.countAll<string>().as('n')).where('state', '=', 'received').executeTakeFirstOrThrow();
  return Number(r.n);
}

interface DocketRun {
  load: LoadResult;
  refused: number;
  /** CPU ms per request: this process (docket's web side; bare Bolt is idle meanwhile), the worker process that ran the requests (if they were handed off), Postgres. */
  webMs: number;
  workerMs: number;
  pgMs: number;
}

export default async function run(flags: string[]): Promise<void> {
  // --rates=100,500 --seconds=10 --rounds=2 --surfaces=command,button,form (smaller for a smoke run)
  const RATES = flag(flags, 'rates', '100,500').split(',').map(Number);
  const SECONDS = Number(flag(flags, 'seconds', '10'));
  const ROUNDS = Number(flag(flags, 'rounds', '2'));
  const surfaces = flag(flags, 'surfaces', 'command,button,form').split(',') as Surface[];
  // --run-in=web: the web process runs what it acknowledges (REQUESTS_RUN_IN's default); worker: a worker process does.
  const runIn = flag(flags, 'run-in', 'worker') as 'web' | 'worker';
  const fake = await spawnFakeSlack(TOKEN);
  const apiUrl = `${fake.url}/api/`;

  // The floor: a bare Bolt app whose command, button and form only ack.
  const bare = new App({ token: TOKEN, signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.ERROR });
  bare.command('/noop', async ({ ack }) => ack());
  bare.action('bench.noop', async ({ ack }) => ack());
  bare.view('bench.noop', async ({ ack }) => ack());
  const bareServer = (await bare.start(0)) as unknown as Server;
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`;

  // docket, with a fresh database, logging at info as in production (to a discarding stream).
  await ensureDatabase(DB_URL);
  const admin = createDb(DB_URL.replace(/\/[^/]*$/, '/postgres'), 1);
  await sql`drop database if exists docket_bench with (force)`.execute(admin).catch(() => undefined);
  await sql`create database docket_bench`.execute(admin);
  await admin.destroy();
  const db = createDb(DB_URL, 10);
  // As in production (src/services/infra.ts): requests are recorded through a pool of their own.
  const intakeDb = createDb(DB_URL, INTAKE_POOL);
  await migrateToLatest(db);
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, DATABASE_URL: DB_URL, PORT: '0', LOG_LEVEL: 'info', REQUESTS_RUN_IN: runIn, QUEUE_PREFIX: 'bench-ack' };
  const config = loadConfig(env);
  const docket = await startDocket({ config, db, intakeDb, redis, log: pino({ level: 'info' }, { write: () => undefined }) });
  // Handed off: one worker process (as `npm run start:worker` starts it) runs the requests, and delivers the posts they make.
  const worker: WorkerProcess | undefined = runIn === 'worker' ? await startWorker(env) : undefined;
  const workerCpu = () => (worker?.proc.pid ? processCpu(worker.proc.pid) : 0);
  const docketUrl = `${docket.url}/slack/events`;

  let offset = 0;
  const load = (url: string, rate: number, seconds: number, shape: Shape) => {
    const spec = { url, secret: SECRET, rate, seconds, offset, teamId: TEAM, userId: 'U0ALICE', channelId: CHANNEL, slackUrl: fake.url, ...shape } as LoadSpec;
    offset += rate * seconds;
    return runLoad(spec);
  };
  const count = async (table: 'groups' | 'cases' | 'action_items') => Number((await db.selectFrom(table).select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  // Setup through the bot: a group, a case, the items the buttons press (also the warm-up).
  await load(docketUrl, 1, 1, { surface: 'command', command: '/docket', text: 'setup Bench prefix:BN tz:Asia/Shanghai' });
  await waitUntil(async () => (await count('groups')) === 1, 10_000);
  await load(docketUrl, 1, 1, { surface: 'command', command: '/case', text: 'open Bench case 张某某' });
  await waitUntil(async () => (await count('cases')) === 1, 10_000);
  const ref = (await db.selectFrom('cases').select('ref').executeTakeFirstOrThrow()).ref;
  console.log('setting up items (and warming up)…');
  await load(docketUrl, 100, ITEMS / 100, { surface: 'command', command: '/action', text: `add ${ref} Bench item {i} due:tomorrow 17:00` });
  await waitUntil(async () => (await count('action_items')) >= ITEMS, 60_000);
  const itemIds = (await db.selectFrom('action_items').select('id').orderBy('id').execute()).map((r) => String(r.id));
  await load(bareUrl, 100, 2, { surface: 'command', command: '/noop', text: '' });

  const en = messagesFor('en');
  const form = addItemModal({ channel: CHANNEL, ref }, [], en) as unknown as Record<string, unknown>;
  const formState = { text: { v: { type: 'plain_text_input', value: 'Bench form item' } }, owner: { v: { type: 'users_select', selected_user: null } }, due: { v: { type: 'plain_text_input', value: 'tomorrow 17:00' } } };
  const shapes: Record<Surface, { floor: Shape; ours: Shape; what: string }> = {
    command: { floor: { surface: 'command', command: '/noop', text: '' }, ours: { surface: 'command', command: '/case', text: 'open Bench case {i} 张某某' }, what: '`/case open` (the case is opened after the ack)' },
    button: { floor: { surface: 'button', actionId: 'bench.noop', values: ['x'] }, ours: { surface: 'button', actionId: ITEM_ACTIONS.done, values: itemIds }, what: 'an item\'s "Done" button' },
    form: {
      floor: { surface: 'form', view: { type: 'modal', callback_id: 'bench.noop', private_metadata: '', blocks: [] }, state: {} },
      ours: { surface: 'form', view: { ...form, callback_id: ACTION_VIEWS.add }, state: formState },
      what: 'the add-item form (its checks run before the ack)',
    },
  };

  const measureDocket = async (rate: number, seconds: number, shape: Shape): Promise<DocketRun> => {
    const refused0 = await refusedSoFar(docket);
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpu();
    const worker0 = workerCpu();
    const result = await load(docketUrl, rate, seconds, shape);
    await waitUntil(async () => (await unanswered(db)) === 0, 120_000);
    const cpu = process.cpuUsage(cpu0);
    const pg = cpuSince(pg0);
    const n = result.sent;
    return { load: result, refused: (await refusedSoFar(docket)) - refused0, webMs: (cpu.user + cpu.system) / 1000 / n, workerMs: ((workerCpu() - worker0) * 1000) / n, pgMs: (pg * 1000) / n };
  };

  const rows: string[] = [];
  const verdicts: string[] = [];
  let allMet = true;
  for (const surface of surfaces) {
    for (const rate of RATES) {
      // Rounds alternate which app goes first, so drift in the machine's load favours neither.
      const floors: LoadResult[] = [];
      const ours: DocketRun[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        console.log(`${surface} at ${rate}/s, round ${round + 1}…`);
        const floor = () => load(bareUrl, rate, SECONDS, shapes[surface].floor).then((r) => void floors.push(r));
        const docketRun = () => measureDocket(rate, SECONDS, shapes[surface].ours).then((r) => void ours.push(r));
        if (round % 2 === 0) {
          await floor();
          await docketRun();
        } else {
          await docketRun();
          await floor();
        }
      }
      const f = pool(floors);
      const o = pool(ours.map((r) => r.load));
      const refused = ours.reduce((n, r) => n + r.refused, 0);
      const ratio = percentile(o.latencies, 99) / percentile(f.latencies, 99);
      const met = ratio <= 2 && failed(o) === 0 && refused === 0;
      allMet &&= met;
      const avg = (k: 'webMs' | 'workerMs' | 'pgMs') => ours.reduce((s, r) => s + r[k], 0) / ours.length;
      rows.push(
        `| ${surface} | ${rate}/s | ${f.sent} / ${o.sent} | ${failed(f)} / ${failed(o)} | ${refused} | ${fmt(percentile(f.latencies, 50))} / ${fmt(percentile(o.latencies, 50))} | ${fmt(percentile(f.latencies, 99))} / ${fmt(percentile(o.latencies, 99))} | ${fmt(f.latencies.at(-1) ?? NaN)} / ${fmt(o.latencies.at(-1) ?? NaN)} | **${ratio.toFixed(2)}×** | ${avg('webMs').toFixed(2)} / ${avg('workerMs').toFixed(2)} / ${avg('pgMs').toFixed(2)} ms |`,
      );
      verdicts.push(`${surface} at ${rate}/s: ${met ? 'met' : '**NOT met**'}`);
    }
  }

  console.log(`command at ${PEAK}/s for 5 s…`);
  const peakFloor = await load(bareUrl, PEAK, 5, shapes.command.floor);
  const peak = await measureDocket(PEAK, 5, shapes.command.ours);
  const cases = await count('cases');
  const body = [
    runLine(),
    `Load: signed requests at a steady rate for ${SECONDS} s (open loop, keep-alive), ${ROUNDS} rounds per surface and rate alternating which app goes first; the table pools the rounds. The load generator runs in its own process (bench/load-process.ts: every request built and signed before the first is sent), the fake Slack Web API in another; docket's web side and the bare Bolt app share the benchmark's process, idle in turn; ${runIn === 'worker' ? 'docket runs with REQUESTS_RUN_IN=worker: the web side records and acknowledges each request, and one worker process (`--role=worker`) runs it' : 'docket runs with REQUESTS_RUN_IN=web: the web process that acknowledges a request also runs it'}; Postgres and Redis on the same machine. docket: ${shapes.command.what}; ${shapes.button.what} (${ITEMS} items pressed in turn); ${shapes.form.what}. Floor: bare Bolt 5 listeners that only ack.`,
    '',
    '| surface | rate | requests (floor / docket) | errors (incl. acks later than 3 s) | docket refused (busy) | p50 (floor / docket) | p99 | max | p99 ratio | CPU per request (docket web / worker / Postgres) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `At ${PEAK}/s for 5 s (commands): bare Bolt ${failed(peakFloor)} errors, p99 ${fmt(percentile(peakFloor.latencies, 99))}; docket ${peak.load.sent} sent, ${failed(peak.load)} errors (no 200, or later than Slack's ${SLACK_TIMEOUT_MS / 1000} s), ${peak.refused} refused as busy, p99 ${fmt(percentile(peak.load.latencies, 99))}, max ${fmt(peak.load.latencies.at(-1) ?? NaN)}; CPU per request: web ${peak.webMs.toFixed(2)} ms, worker ${peak.workerMs.toFixed(2)} ms, Postgres ${peak.pgMs.toFixed(2)} ms. Cases in the ledger afterwards: ${cases}.`,
    '',
    `Targets (issue 13): p99 ≤ 2× bare Bolt with no error: ${verdicts.join('; ')}. No error at ${PEAK}/s: ${failed(peak.load) === 0 ? 'met' : '**NOT met**'}. Overall: ${allMet && failed(peak.load) === 0 ? 'met' : '**NOT met**'}.`,
  ].join('\n');
  console.log(body);
  await writeSection(`Acknowledgement latency (REQUESTS_RUN_IN=${runIn})`, body);

  await worker?.stop();
  await docket.stop();
  await bare.stop();
  await Promise.all([db.destroy(), intakeDb.destroy()]);
  redis.disconnect();
  fake.stop();
}

/** Requests Slack would have shown as failed: no 200, or the 200 came after Slack stopped waiting. */
function failed(r: LoadResult): number {
  return r.errors + r.latencies.filter((ms) => ms > SLACK_TIMEOUT_MS).length;
}

function pool(rs: LoadResult[]): LoadResult {
  return {
    sent: rs.reduce((n, r) => n + r.sent, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    withBody: rs.reduce((n, r) => n + r.withBody, 0),
    latencies: rs.flatMap((r) => r.latencies).sort((x, y) => x - y),
  };
}
