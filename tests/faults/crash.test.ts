import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { FakeSlack } from '../../src/slack/fake/fake-slack.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { cloneForFile } from '../helpers/databases.js';
import { reportFault } from '../helpers/fault-report.js';
import { SECRET, TEAM, TOKEN, testPrefix } from '../helpers/harness.js';
import { freePort } from '../helpers/private-redis.js';
import { SlackDriver, type Sent } from '../helpers/slack-driver.js';
import { until } from '../helpers/wait.js';

/**
 * Acknowledged means kept: docket in its own process is killed (SIGKILL) or stopped
 * (SIGTERM) in the middle of a burst of /case open, and every request Slack got a 200 for
 * must be applied exactly once and answered, late if need be. A request that got no HTTP
 * answer at all was not acknowledged (Slack shows the person a timeout and does not resend a
 * slash command); if it was recorded before the kill, it may still be carried out, but never
 * twice, and then it is answered too.
 */
let fake: FakeSlack;
let db: Db;
let env: Record<string, string>;
let d: SlackDriver;
let proc: ChildWorker | undefined;

beforeAll(async () => {
  fake = new FakeSlack({ token: TOKEN, teamId: TEAM });
  await fake.listen();
  const url = await cloneForFile();
  db = createDb(url, 2);
  const port = await freePort();
  env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: url,
    PORT: String(port),
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: testPrefix(),
    // Few at once, so that a burst is still being worked on when the process goes.
    HANDLER_CONCURRENCY: '2',
    INBOX_LEASE_MS: '1500',
    INBOX_SWEEP_MS: '200',
  };
  d = new SlackDriver(fake, `http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await proc?.kill('SIGKILL');
  await db.destroy();
  await fake.close();
});

async function say(input: string): Promise<void> {
  const s = await d.command(input);
  await d.reply(s.triggerId);
}

beforeEach(async () => {
  await proc?.kill('SIGKILL');
  await db.deleteFrom('request_inbox').execute();
  proc = await ChildWorker.spawn(env, 'web');
  if (!(await db.selectFrom('groups').select('id').executeTakeFirst())) await say('/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai');
  fake.clearFaults();
  fake.calls.length = 0;
});

/** Holds the cases table from another session (openings wait on it) until the returned function is called. */
async function holdCases(): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query('begin');
  await client.query('lock table cases in share row exclusive mode');
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

async function casesTitled(prefix: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('cases').select('title').where('title', 'like', `${prefix}%`).execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.title, (counts.get(r.title) ?? 0) + 1);
  return counts;
}

describe('a docket process that dies or stops mid-burst', () => {
  it('SIGKILL during a burst of /case open: after a restart every acknowledged one is applied once and answered', { timeout: 60_000 }, async () => {
    // Another session holds the cases table: the burst is acknowledged and recorded, and its
    // work waits, so most of it is still to do when the process dies.
    const release = await holdCases();
    const titles = Array.from({ length: 40 }, (_, i) => `Killed ${String(i).padStart(2, '0')}`);
    const sent = new Map<string, Sent>();
    const burst = titles.map(async (t) => sent.set(t, await d.command(`/case open ${t}`)));
    await until(() => [...sent.values()].filter((s) => s.status === 200).length >= 20);
    const killedAt = Date.now();
    await proc!.kill('SIGKILL');
    await Promise.all(burst);
    const acked = [...sent.values()].filter((s) => s.status === 200);
    const answeredBeforeKill = acked.filter((s) => d.replies(s.triggerId).length > 0).length;
    expect(answeredBeforeKill).toBeLessThan(acked.length); // the kill did land mid-burst
    await release();

    proc = await ChildWorker.spawn(env, 'web');
    await Promise.all(acked.map((s) => d.reply(s.triggerId, 40_000)));
    const recoveredMs = Date.now() - killedAt;
    // Those never acknowledged but recorded before the kill are carried out as well (within the
    // same takeover): wait until the inbox has nothing left to do, then count.
    await until(async () => (await db.selectFrom('request_inbox').select('id').where('state', '=', 'received').execute()).length === 0 || undefined, 40_000);

    const counts = await casesTitled('Killed ');
    const titleOf = new Map([...sent].map(([t, s]) => [s.triggerId, t]));
    const lost = acked.map((s) => titleOf.get(s.triggerId)!).filter((t) => !counts.has(t));
    const duplicated = titles.filter((t) => (counts.get(t) ?? 0) > 1);
    // Answered: every acknowledged one, and every unacknowledged one that was carried out.
    const unanswered = [...sent].filter(([t, s]) => (s.status === 200 || counts.has(t)) && d.replies(s.triggerId).length === 0).map(([t]) => t);
    reportFault({
      fault: 'SIGKILL mid-burst',
      injected: `SIGKILL after ${acked.length} of 40 /case open acked, restart`,
      requests: 40,
      reminders: 0,
      lost: lost.length,
      duplicated: duplicated.length,
      unanswered: unanswered.length,
      recoveredMs,
    });
    expect({ lost, duplicated, unanswered }).toEqual({ lost: [], duplicated: [], unanswered: [] });
    // The ones taken over say they are late.
    const late = acked.filter((s) => String(d.replies(s.triggerId).at(-1)?.args.text).includes('Late answer'));
    expect(late.length).toBeGreaterThan(0);
  });

  it('SIGTERM right after a burst is acknowledged: work in progress is finished before the process exits', { timeout: 60_000 }, async () => {
    const release = await holdCases();
    const titles = Array.from({ length: 20 }, (_, i) => `Stopped ${String(i).padStart(2, '0')}`);
    const sent = await Promise.all(titles.map((t) => d.command(`/case open ${t}`)));
    expect(sent.every((s) => s.status === 200)).toBe(true);
    const answeredAtSignal = sent.filter((s) => d.replies(s.triggerId).length > 0).length;
    const stoppedAt = Date.now();
    const exit = proc!.kill('SIGTERM');
    proc = undefined;
    // The work it acknowledged can go on once the lock goes; the process drains it, then exits.
    await release();
    const code = await exit;
    expect(answeredAtSignal).toBeLessThan(20); // the signal did land with work in progress
    expect(code).toBe(0);
    const counts = await casesTitled('Stopped ');
    const unanswered = sent.filter((s) => !d.answered(s));
    reportFault({
      fault: 'SIGTERM mid-burst',
      injected: `SIGTERM with ${20 - answeredAtSignal} of 20 acknowledged /case open unanswered`,
      requests: 20,
      reminders: 0,
      lost: titles.filter((t) => !counts.has(t)).length,
      duplicated: titles.filter((t) => (counts.get(t) ?? 0) > 1).length,
      unanswered: unanswered.length,
      recoveredMs: Date.now() - stoppedAt,
    });
    // Everything was answered by the process itself before it exited: nothing left for a takeover.
    expect(unanswered).toEqual([]);
    expect(titles.every((t) => counts.get(t) === 1)).toBe(true);
    expect(await db.selectFrom('request_inbox').select('id').where('state', '=', 'received').execute()).toEqual([]);
  });
});
