import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { systemClock } from '../../src/domain/clock.js';
import { BullOutboxScheduler, outboxQueue } from '../../src/platform/outbox/queue.js';
import { FakeSlack } from '../../src/slack/fake/fake-slack.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { cloneForFile } from '../helpers/databases.js';
import { reportFault } from '../helpers/fault-report.js';
import { SECRET, TEAM, TOKEN, testPrefix } from '../helpers/harness.js';
import { PrivatePostgres } from '../helpers/private-postgres.js';
import { freePort } from '../helpers/private-redis.js';
import { SlackDriver, type Sent } from '../helpers/slack-driver.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/wait.js';

/**
 * Postgres goes away under load, for real: a server of the test's own is stopped for 20 s,
 * and connections are reset by a proxy. docket (web and worker in one process of its own)
 * must stay up, say the database is unavailable while it is, and come back by itself.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});
afterAll(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});

interface Rig {
  fake: FakeSlack;
  proc: ChildWorker;
  d: SlackDriver;
  db: Db;
  prefix: string;
}

async function rig(databaseUrl: string): Promise<Rig> {
  const fake = new FakeSlack({ token: TOKEN, teamId: TEAM });
  await fake.listen();
  cleanup.push(() => fake.close());
  const port = await freePort();
  const prefix = testPrefix();
  const proc = await ChildWorker.spawn(
    {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: prefix,
      RECONCILE_INTERVAL_MS: '1000',
      JOB_LOCK_MS: '1000',
      CLAIM_LEASE_MS: '1000',
      INBOX_LEASE_MS: '2000',
      INBOX_SWEEP_MS: '500',
    },
    'all',
  );
  cleanup.push(() => proc.kill('SIGKILL'));
  const d = new SlackDriver(fake, `http://127.0.0.1:${port}`);
  for (const c of ['/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai', '/docket members add <@U0BAO|bao>', '/case open Zhou']) await d.reply((await d.command(c)).triggerId);
  return { fake, proc, d, db: createDb(databaseUrl, 2), prefix };
}

/** A steady stream of notes, each with its own text, until stopped. */
function load(d: SlackDriver, everyMs: number) {
  const sent: { text: string; s: Promise<Sent> }[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const text = `note ${++n}`;
    sent.push({ text, s: d.command(`/case note GZ-2026-001 ${text}`) });
  }, everyMs);
  return {
    sent,
    async stop() {
      clearInterval(timer);
      return Promise.all(sent.map(async (x) => ({ text: x.text, s: await x.s })));
    },
  };
}

async function notesByText(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('audit_events').select('after').where('kind', '=', 'case.note').execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    const t = String((r.after as { text?: string }).text);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/**
 * A final answer: the note was added, or (when the connection broke as its commit went through,
 * and the request was kept and run again) docket says it had been carried out already.
 */
const settled = (text: unknown) => /Note added|carried this out/.test(String(text));

/** After the fault: every request answered (in its ack or later), and none applied twice; those accepted applied once. */
async function verdict(r: Rig, results: { text: string; s: Sent }[]) {
  const accepted = results.filter((x) => x.s.status === 200 && !x.s.ackText);
  await Promise.all(accepted.map((x) => until(() => r.d.replies(x.s.triggerId).some((c) => settled(c.args.text)) || undefined, 60_000)));
  const counts = await notesByText(r.db);
  return {
    refused: results.filter((x) => x.s.ackText).length,
    lost: accepted.filter((x) => counts.get(x.text) !== 1).length,
    duplicated: [...counts.values()].filter((n) => n > 1).length,
    unanswered: results.filter((x) => !r.d.answered(x.s)).length,
  };
}

describe('Postgres going away', () => {
  it('stopped for 20 s under load: docket stays up, says so, and answers within 30 s of the restart; a reminder due meanwhile goes out once', { timeout: 150_000 }, async () => {
    const pg = await PrivatePostgres.start();
    cleanup.push(() => pg.destroy());
    const r = await rig(pg.url('docket'));
    cleanup.push(() => r.db.destroy());
    await r.d.reply((await r.d.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0BAO|bao> due:2030-01-01 17:00')).triggerId);
    // Its "due" reminder is moved to fall inside the outage, as a change of due time would.
    const reminder = await r.db.selectFrom('outbox').selectAll().where('kind', '=', 'item.due').executeTakeFirstOrThrow();
    const fireAt = new Date(Date.now() + 4000);
    await r.db.updateTable('outbox').set({ fire_at: fireAt }).where('id', '=', reminder.id).execute();
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const scheduler = new BullOutboxScheduler(outboxQueue(redis, r.prefix), systemClock, pino({ level: 'silent' }));
    await scheduler.unschedule([reminder.id]);
    await scheduler.add([{ ...reminder, fire_at: fireAt }]);
    await scheduler.queue.close();
    redis.disconnect();

    const traffic = load(r.d, 250);
    await until(() => traffic.sent.length >= 4);
    await pg.down('fast');
    // The outage's length is the fault itself (the brief: 20 s under load), not a wait for something.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    expect(r.proc.alive).toBe(true);
    const health = await fetch(`${r.d.url}/readyz`);
    expect(health.status).toBe(503);
    await pg.up();
    const upAt = Date.now();
    // The first note after the restart that is answered normally marks the recovery.
    const firstOk = await until(async () => {
      const s = await r.d.command(`/case note GZ-2026-001 probe ${Date.now()}`);
      if (s.ackText) return undefined;
      const reply = await r.d.reply(s.triggerId, 20_000);
      return String(reply.args.text).includes('Note added') ? Date.now() : undefined;
    }, 30_000, 250);
    const recoveredMs = firstOk - upAt;
    const results = await traffic.stop();
    const v = await verdict(r, results);
    const posted = await until(() => {
      const hits = r.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && Number(c.args.metadata?.event_payload?.outbox_id) === reminder.id);
      return hits.length ? hits : undefined;
    }, 60_000, 200);
    expect(r.proc.alive).toBe(true);
    reportFault({
      fault: 'Postgres stopped 20 s',
      injected: 'pg_ctl stop -m fast under 4 commands/s, restart after 20 s',
      requests: results.length,
      reminders: 1,
      lost: v.lost,
      duplicated: v.duplicated + Math.max(0, posted.length - 1),
      unanswered: v.unanswered,
      recoveredMs,
    });
    expect(v.refused).toBeGreaterThan(0); // the outage was felt, and said so
    expect(results.filter((x) => x.s.ackText?.includes('database is unavailable')).length).toBeGreaterThan(0);
    expect({ lost: v.lost, duplicated: v.duplicated, unanswered: v.unanswered }).toEqual({ lost: 0, duplicated: 0, unanswered: 0 });
    expect(recoveredMs).toBeLessThan(30_000);
    expect(posted).toHaveLength(1);
  });

  it('connections reset by the network, idle and mid-burst: docket stays up and answers every request', { timeout: 90_000 }, async () => {
    const url = new URL(await cloneForFile());
    const proxy = await TcpProxy.start(Number(url.port || 5432));
    cleanup.push(() => proxy.close());
    url.port = String(proxy.port);
    const r = await rig(url.toString());
    cleanup.push(() => r.db.destroy());
    expect(proxy.open).toBeGreaterThan(0); // pooled connections sit idle through the proxy

    const droppedAt = Date.now();
    proxy.drop();
    await r.proc.waitFor((l) => l.msg === 'database connection lost');
    const after = await r.d.command('/case note GZ-2026-001 after the reset');
    expect(String((await r.d.reply(after.triggerId)).args.text)).toContain('Note added');
    const recoveredMs = Date.now() - droppedAt;

    const traffic = load(r.d, 20);
    await until(() => traffic.sent.length >= 10);
    proxy.drop();
    await until(() => traffic.sent.length >= 30);
    proxy.drop();
    const results = [{ text: 'after the reset', s: after }, ...(await traffic.stop())];
    const v = await verdict(r, results);
    expect(r.proc.alive).toBe(true);
    reportFault({
      fault: 'connections reset',
      injected: '3 resets of every Postgres connection (idle, then twice during 50 commands/s)',
      requests: results.length,
      reminders: 0,
      lost: v.lost,
      duplicated: v.duplicated,
      unanswered: v.unanswered,
      recoveredMs,
    });
    expect({ lost: v.lost, duplicated: v.duplicated, unanswered: v.unanswered }).toEqual({ lost: 0, duplicated: 0, unanswered: 0 });
  });
});
