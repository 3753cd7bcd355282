/**
 * Command acknowledgement latency: signed `/case open` requests at a steady 100 per second
 * for 20 seconds against docket, and the same load against a bare Bolt app with a no-op
 * command, in the same process and run. Target: docket's p99 within 2× of bare Bolt's, with
 * no errors, and every case actually opened.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startDocket } from '../src/app.js';
import { INTAKE_POOL } from '../src/services/infra.js';
import { loadConfig } from '../src/config.js';
import { createDb, ensureDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { commandBody, signedPost } from '../src/slack/fake/sender.js';
import { spawnFakeSlack, steadyLoad, type LoadResult } from './lib/load.js';
import { fmt, percentile, runLine, writeSection } from './lib/report.js';

const RATE = 100;
const SECONDS = 20;
const ROUNDS = 3;
const SECRET = 'bench-secret';
const TOKEN = 'xoxb-bench';
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/docket_bench';

function commandLoad(slackUrl: string, command: string, text: (i: number) => string) {
  return (i: number) => {
    const trigger = `bench.${command.slice(1)}.${i}.${Date.now()}`;
    const body = commandBody({ command, text: text(i), teamId: 'T0LOCAL', userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: trigger, responseUrl: `${slackUrl}/_fake/respond/${trigger}` });
    return signedPost(SECRET, body, 'application/x-www-form-urlencoded');
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export default async function run(): Promise<void> {
  const fake = await spawnFakeSlack(TOKEN);
  const apiUrl = `${fake.url}/api/`;

  // The floor: a bare Bolt app whose command does nothing but ack.
  const bare = new App({ token: TOKEN, signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.ERROR });
  bare.command('/noop', async ({ ack }) => {
    await ack();
  });
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
  const config = loadConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, DATABASE_URL: DB_URL, PORT: '0', LOG_LEVEL: 'info' });
  const docket = await startDocket({ config, db, intakeDb, redis, log: pino({ level: 'info' }, { write: () => undefined }) });
  const docketUrl = `${docket.url}/slack/events`;
  const setup = commandLoad(fake.url, '/docket', () => 'setup Bench prefix:BN tz:Asia/Shanghai')(0);
  await fetch(docketUrl, { method: 'POST', headers: setup.headers, body: setup.body });
  await waitUntil(async () => (await db.selectFrom('groups').select('id').execute()).length === 1, 5000);

  const floorLoad = commandLoad(fake.url, '/noop', () => '');
  const docketLoad = commandLoad(fake.url, '/case', (i) => `open Bench case ${i} 张某某`);
  console.log('warming up…');
  await steadyLoad({ url: bareUrl, rate: RATE, seconds: 2, request: floorLoad });
  await steadyLoad({ url: docketUrl, rate: RATE, seconds: 2, request: docketLoad });
  await waitUntil(async () => (await db.selectFrom('cases').select('id').execute()).length === RATE * 2, 30_000);

  // Rounds alternate which app goes first, so drift in the machine's load favours neither.
  const rounds: { floor: LoadResult; ours: LoadResult }[] = [];
  let sent = RATE * 2;
  for (let round = 0; round < ROUNDS; round++) {
    const measure = async (which: 'floor' | 'ours') => {
      console.log(`round ${round + 1}: ${which === 'floor' ? 'bare Bolt' : 'docket'} at ${RATE}/s for ${SECONDS}s…`);
      if (which === 'floor') return steadyLoad({ url: bareUrl, rate: RATE, seconds: SECONDS, request: floorLoad });
      const offset = sent;
      sent += RATE * SECONDS;
      return steadyLoad({ url: docketUrl, rate: RATE, seconds: SECONDS, request: (i) => docketLoad(i + offset) });
    };
    const first = round % 2 === 0 ? 'floor' : 'ours';
    const a = await measure(first);
    const b = await measure(first === 'floor' ? 'ours' : 'floor');
    rounds.push(first === 'floor' ? { floor: a, ours: b } : { floor: b, ours: a });
  }
  const pool = (rs: LoadResult[]): LoadResult => ({
    sent: rs.reduce((n, r) => n + r.sent, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    latencies: rs.flatMap((r) => r.latencies).sort((x, y) => x - y),
  });
  const floor = pool(rounds.map((r) => r.floor));
  const ours = pool(rounds.map((r) => r.ours));
  const expected = sent;
  const allOpened = await waitUntil(async () => (await db.selectFrom('cases').select('id').execute()).length === expected, 60_000);
  const opened = (await db.selectFrom('cases').select('id').execute()).length;

  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${r.sent} | ${r.errors} | ${fmt(percentile(r.latencies, 50))} | ${fmt(percentile(r.latencies, 99))} | ${fmt(r.latencies.at(-1) ?? NaN)} |`;
  const ratio = percentile(ours.latencies, 99) / percentile(floor.latencies, 99);
  const perRound = rounds.map((r) => (percentile(r.ours.latencies, 99) / percentile(r.floor.latencies, 99)).toFixed(2));
  const p50ratio = percentile(ours.latencies, 50) / percentile(floor.latencies, 50);
  const met = ratio <= 2 && ours.errors === 0 && allOpened;
  const body = [
    runLine(),
    `Load: signed slash commands at ${RATE}/s for ${SECONDS} s (open loop, keep-alive), ${ROUNDS} rounds alternating which app goes first, after a 2 s warm-up of each; the table pools the rounds. The load generator and both apps share one process; the fake Slack Web API runs in a child process (Slack is never in docket's process); Postgres and Redis on the same machine.`,
    '',
    '| app | requests | errors | p50 | p99 | max |',
    '|---|---|---|---|---|---|',
    row('bare Bolt 5, no-op command (floor)', floor),
    row('docket `/case open` (ack; the case is opened after it)', ours),
    '',
    `**Ratio docket / floor: p50 ${p50ratio.toFixed(2)}×, p99 ${ratio.toFixed(2)}×** over all rounds (target p99 ≤ 2×); p99 ratio per round: ${perRound.join(', ')}. Cases opened afterwards: ${opened} of ${expected}. Target ${met ? 'met' : 'NOT met'}.`,
  ].join('\n');
  console.log(body);
  await writeSection('Acknowledgement latency', body);

  await docket.stop();
  await bare.stop();
  await Promise.all([db.destroy(), intakeDb.destroy()]);
  redis.disconnect();
  fake.stop();
}
