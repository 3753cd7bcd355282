import type { Job } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_RECHECK_MS } from '../../jobs/deliver-outbox.js';
import { reminderRow } from '../../src/features/items/reminder-rows.js';
import { insertOutbox } from '../../src/platform/outbox/outbox.repo.js';
import type { Scheduled } from '../../src/platform/outbox/outbox.table.js';
import { jobIdOf, type BullOutboxScheduler } from '../../src/platform/outbox/queue.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { Harness } from '../helpers/harness.js';
import { until } from '../helpers/reminders.js';

/**
 * Exactly-once delivery with real worker processes: killed mid-delivery with SIGKILL and
 * restarted, and two of them racing for the same reminders. The web side runs in this
 * process; the workers are children against the same Postgres, Redis prefix and fake Slack.
 * Each test starts one or two processes (a few seconds each on a busy 2-core machine), hence
 * the longer timeout; nothing waits on a timer.
 */
let h: Harness;
const children: ChildWorker[] = [];
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.reset();
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
  await h.command('/action add GZ-2026-001 Verify bank records due:next month'); // Alice's own: no "new item" message to race the planted ones
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
  h.fake.clearFaults();
});

const scheduler = () => h.docket.deps.outbox as BullOutboxScheduler;

/** How long a restarted worker may take to pick up a dead one's claimed message. */
const TAKEOVER_MS = 45_000;

/**
 * Reminders of item 1 that are due right now, to these channels. They are escalations: the
 * one kind delivery does not check against the item's owner, so any channel will do.
 */
async function plantDue(channels: string[]): Promise<Scheduled[]> {
  const now = Date.now();
  const rows = await insertOutbox(
    h.db,
    channels.map((channel, i) => reminderRow({ id: 1, team_id: 'T0LOCAL', group_id: 1 }, 'escalation', new Date(now - i), channel)),
  );
  await scheduler().schedule(rows);
  return rows;
}

async function start(env: Record<string, string> = {}): Promise<ChildWorker> {
  // Job locks of 3 s, not the helper's 1 s: a killed worker's job is still taken over in
  // seconds, while a live worker that a loaded machine stalls for a second keeps its job
  // (else BullMQ runs it twice, and the history checks these tests count exactly double up).
  const w = await ChildWorker.start(h, { SLACK_CHANNEL_INTERVAL_MS: '200', JOB_LOCK_MS: '3000', ...env });
  children.push(w);
  return w;
}

const state = async (id: number) => (await h.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
const postsOf = (id: number) => h.fake.messages.filter((m) => Number(m.metadata?.event_payload?.outbox_id) === id);

describe('a worker killed mid-delivery, then restarted', { timeout: 60_000 }, () => {
  it('after Slack accepted the post but before it was recorded: finds the message, records it, posts nothing more', async () => {
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0BAO', hang: 'after' });
    const [r] = await plantDue(['U0BAO']);
    const first = await start();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0BAO', 15_000);
    expect(await first.kill('SIGKILL')).toBe(null);
    expect(postsOf(r!.id)).toHaveLength(1); // it reached Slack…
    expect((await state(r!.id)).state).toBe('claimed'); // …and was never recorded

    const second = await start();
    await second.waitFor((l) => l.msg === 'delivery' && l.outbox === r!.id && l.outcome === 'recovered');
    const row = await state(r!.id);
    expect(row).toMatchObject({ state: 'sent', message_ts: postsOf(r!.id)[0]!.ts });
    expect(postsOf(r!.id)).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0BAO')).toHaveLength(1);
  });

  it('after claiming but before the post reached Slack: the restarted worker posts it, once', async () => {
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0BAO', hang: 'before' });
    const [r] = await plantDue(['U0BAO']);
    const first = await start();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0BAO', 15_000);
    await first.kill('SIGKILL');
    expect(postsOf(r!.id)).toHaveLength(0);
    expect((await state(r!.id)).state).toBe('claimed');

    const second = await start();
    await second.waitFor((l) => l.msg === 'delivery' && l.outbox === r!.id && l.outcome === 'sent');
    expect(postsOf(r!.id)).toHaveLength(1);
    expect((await state(r!.id)).message_ts).toBe(postsOf(r!.id)[0]!.ts);
  });
});

describe('a worker killed while one transaction holds several deliveries', { timeout: 60_000 }, () => {
  it('after Slack accepted them all but before the commit: each is found and recorded, none posted again', async () => {
    // Not the group's channel: the case's "opened" message goes there too.
    const channels = ['U0ALICE', 'U0BAO', 'U0CARLOS', 'U0DANA', 'U0ERIN', 'C0COUNTY', 'C0ANNOUNCE'];
    // Every post reaches Slack and its answer never comes back: the transactions that hold them wait.
    for (const channel of channels) h.fake.inject({ method: 'chat.postMessage', channel, hang: 'after' });
    const rows = await plantDue(channels);
    const first = await start({ WORKER_CONCURRENCY: '20' });
    await until(async () => rows.every((r) => postsOf(r.id).length === 1), 20_000);
    // Rows locked FOR UPDATE carry their locker's transaction id in xmax: several rows under one
    // id are one transaction's (the first delivery goes alone; the rest gather behind it).
    const { rows: lockers } = await sql<{ xmax: string; n: number }>`
      select xmax::text, count(*)::int as n from outbox where id = any(${rows.map((r) => r.id)}::bigint[]) group by xmax order by n desc`.execute(h.db);
    expect(lockers[0]!.n).toBeGreaterThan(1);
    expect(await first.kill('SIGKILL')).toBe(null);
    for (const r of rows) {
      expect(postsOf(r.id)).toHaveLength(1);
      expect((await state(r.id)).state).toBe('claimed');
    }

    const second = await start();
    await until(async () => (await h.db.selectFrom('outbox').select('id').where('id', 'in', rows.map((r) => r.id)).where('state', '=', 'sent').execute()).length === rows.length, TAKEOVER_MS);
    for (const r of rows) {
      expect(postsOf(r.id)).toHaveLength(1);
      expect((await state(r.id)).message_ts).toBe(postsOf(r.id)[0]!.ts);
    }
    const recovered = new Set(second.lines.filter((l) => l.msg === 'delivery' && l.outcome === 'recovered').map((l) => l.outbox));
    for (const r of rows) expect(recovered.has(r.id)).toBe(true);
    // Nothing else went out twice either (the case's "opened" message may have shared a transaction with them).
    for (const m of h.fake.messages) expect(postsOf(Number(m.metadata?.event_payload?.outbox_id))).toHaveLength(1);
  });
});

describe('two worker processes at once', { timeout: 60_000 }, () => {
  it('post each reminder exactly once, even with two jobs per reminder racing', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const channels = ['U0ALICE', 'U0BAO', 'U0CARLOS', 'U0DANA', 'U0ERIN', 'C0GROUP', 'C0COUNTY', 'C0ANNOUNCE'];
    const rows = await plantDue([...channels, ...channels, ...channels]);
    // A second job for every reminder (a duplicate enqueue, a retry racing the original).
    await scheduler().queue.addBulk(rows.map((r) => ({ name: 'outbox.deliver', data: { outboxId: r.id, channel: r.channel }, opts: { jobId: `dup${r.id}` } })));
    await until(async () => (await h.db.selectFrom('outbox').select('id').where('subject_type', '=', 'item').where('subject_id', '=', 1).where('state', '=', 'sent').execute()).length === rows.length, 30_000);
    for (const r of rows) expect(postsOf(r.id)).toHaveLength(1);
    expect(h.fake.messages.filter((m) => String(m.metadata?.event_payload?.kind).startsWith('item.'))).toHaveLength(rows.length);
    // Both processes did part of the work.
    for (const w of [a!, b!]) expect(w.lines.some((l) => l.msg === 'delivery' && l.outcome === 'sent')).toBe(true);
  });
});

describe('shutdown', { timeout: 60_000 }, () => {
  it('a worker process stops cleanly on SIGTERM', async () => {
    const w = await start();
    expect(await w.kill('SIGTERM')).toBe(0);
    expect(w.lines.some((l) => l.msg === 'shutting down')).toBe(true);
  });
});

/** The worker that took the reminder over from a dead one cannot read Slack's history. */
describe('recovery when Slack’s history cannot be read', { timeout: 120_000 }, () => {
  /**
   * A worker claims the reminder and is killed at the post: with 'before' the post never
   * reached Slack, with 'after' it did and was never recorded.
   */
  async function dieAfterClaiming(hang: 'before' | 'after'): Promise<Scheduled> {
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0BAO', hang });
    const [r] = await plantDue(['U0BAO']);
    const first = await start();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0BAO', 15_000);
    await first.kill('SIGKILL');
    expect((await state(r!.id)).state).toBe('claimed');
    return r!;
  }

  /**
   * Stands in for the passing of time between history re-checks: whenever the worker says it
   * will check again (failed checks `from`..`to`), its delayed job is promoted. Answers the
   * waits the worker asked for, so that a test can hold them to a bound.
   */
  async function skipRechecks(w: ChildWorker, id: number, from: number, to: number): Promise<number[]> {
    const waits: number[] = [];
    for (let k = from; k <= to; k++) {
      // The first check comes only once the dead worker's claim is taken over (its lease and
      // BullMQ's stalled-job check), which a loaded CI machine can stretch well past 15 s.
      const line = await w.waitFor((l) => l.msg === 'history unreadable' && l.outbox === id && l.failures === k && l.then === 'recheck', k === from ? TAKEOVER_MS : undefined);
      waits.push(line.retryInMs);
      const job = await until(async () => {
        const j = (await scheduler().queue.getJob(jobIdOf(id))) as Job | undefined;
        return j && (await j.isDelayed()) ? j : undefined;
      });
      await job.promote();
    }
    return waits;
  }

  const sentBy = (w: ChildWorker, id: number, outcome = 'sent') => w.waitFor((l) => l.msg === 'delivery' && l.outbox === id && l.outcome === outcome, TAKEOVER_MS);
  const historyCalls = () => h.fake.callsTo('conversations.history');
  const timeline = async () => JSON.stringify((await h.command('/case history GZ-2026-001')).reply?.args);
  // U0BAO reads Slack in Chinese: the marker comes in the reader's language.
  const MARKER = '可能重复';

  it.each([
    ['unknown_method', { error: 'unknown_method' }, 'unknown_method'],
    ['HTTP 500', { status: 500 as const }, 'http_500'],
  ])('history failing with %s: re-checked a bounded number of times, then posted once, marked as a possible repeat', async (_name, fault, code) => {
    h.fake.inject({ method: 'conversations.history', times: Infinity, ...fault });
    const r = await dieAfterClaiming('before');
    const second = await start();
    const waits = await skipRechecks(second, r.id, 1, HISTORY_RECHECK_MS.length);
    const out = await sentBy(second, r.id);
    expect(out.possibleRepeat).toBe(true);
    expect(postsOf(r.id)).toHaveLength(1);
    // Bounded: a fixed number of counted checks, with waits between them that add up to
    // minutes, not a day. On a loaded CI machine one more history call was seen (in about
    // half the runs, never locally): an attempt whose claim had been taken over reads history,
    // finds the claim no longer its own, and stops without counting or posting. It is allowed
    // for here, and its cause is still open (see the issue notes).
    expect(historyCalls().length).toBeGreaterThanOrEqual(HISTORY_RECHECK_MS.length + 1);
    expect(historyCalls().length).toBeLessThanOrEqual(HISTORY_RECHECK_MS.length + 2);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * 60_000);
    expect(JSON.stringify(postsOf(r.id)[0]!.blocks)).toContain(MARKER);
    expect(await state(r.id)).toMatchObject({ state: 'sent', possible_repeat: true, history_failures: HISTORY_RECHECK_MS.length + 1, message_ts: postsOf(r.id)[0]!.ts });
    expect(await timeline()).toContain(`reminded <@U0BAO> of #1 without being able to check whether an interrupted attempt had already done so (${code}); marked as a possible repeat`);
  });

  it('counts failed checks in Postgres, so flushing Redis mid-way does not start the count again', async () => {
    h.fake.inject({ method: 'conversations.history', times: Infinity, error: 'internal_error' });
    const r = await dieAfterClaiming('before');
    const second = await start({ RECONCILE_INTERVAL_MS: '200' });
    await skipRechecks(second, r.id, 1, 1);
    await second.waitFor((l) => l.msg === 'history unreadable' && l.outbox === r.id && l.failures === 2);
    await until(async () => (await scheduler().queue.getJob(jobIdOf(r.id)))?.isDelayed());
    await h.clearRedis(); // the job waiting for its re-check is gone…
    await second.waitFor((l) => l.msg === 'reconciled outbox' && l.rebuilt >= 1); // …and the reconciler made a new one
    await skipRechecks(second, r.id, 3, HISTORY_RECHECK_MS.length);
    await sentBy(second, r.id);
    // The count went on across the flush (the logged counts 3… above come from Postgres), and the
    // post went out once the bound was reached. On a loaded machine a job whose 1 s lock lapsed
    // may run twice and check once more; that only makes the reminder go out sooner.
    expect(historyCalls().length).toBeGreaterThanOrEqual(HISTORY_RECHECK_MS.length + 1);
    expect(postsOf(r.id)).toHaveLength(1);
    const row = await state(r.id);
    expect(row).toMatchObject({ state: 'sent', possible_repeat: true });
    expect(row.history_failures).toBeGreaterThanOrEqual(HISTORY_RECHECK_MS.length + 1);
  });

  it('history refused for good (missing scope): posts again at once, and the second copy says it may be a repeat', async () => {
    h.fake.inject({ method: 'conversations.history', error: 'missing_scope' });
    const r = await dieAfterClaiming('after');
    const second = await start();
    expect((await sentBy(second, r.id)).possibleRepeat).toBe(true);
    expect(historyCalls()).toHaveLength(1);
    const [original, again] = postsOf(r.id);
    expect(JSON.stringify(original!.blocks)).not.toContain(MARKER);
    expect(JSON.stringify(again!.blocks)).toContain(MARKER);
    expect(await state(r.id)).toMatchObject({ state: 'sent', possible_repeat: true, message_ts: again!.ts });
  });

  it('history unreadable twice, then readable: finds the earlier post and posts nothing more', async () => {
    h.fake.inject({ method: 'conversations.history', times: 2, error: 'internal_error' });
    const r = await dieAfterClaiming('after');
    const second = await start();
    await skipRechecks(second, r.id, 1, 2);
    await sentBy(second, r.id, 'recovered');
    expect(historyCalls()).toHaveLength(3);
    expect(postsOf(r.id)).toHaveLength(1);
    expect(await state(r.id)).toMatchObject({ state: 'sent', possible_repeat: false, history_failures: 2, message_ts: postsOf(r.id)[0]!.ts });
  });

  it('a 429 on the history check waits for its Retry-After and counts no failure; then the earlier post is found', async () => {
    h.fake.inject({ method: 'conversations.history', status: 429, retryAfter: 4 });
    const r = await dieAfterClaiming('after');
    const second = await start();
    // Another job for the same message arrives while the first waits out the Retry-After (a
    // duplicate enqueue, a re-run): it must not ask Slack sooner either.
    await second.waitFor((l) => l.msg === 'history rate limited' && l.outbox === r.id, TAKEOVER_MS);
    await scheduler().queue.add('outbox.deliver', { outboxId: r.id, channel: r.channel }, { jobId: `dup${r.id}` });
    await sentBy(second, r.id, 'recovered');
    const [limited, read] = historyCalls();
    expect(limited!.error).toBe('ratelimited');
    expect(read!.at - limited!.at).toBeGreaterThanOrEqual(4000);
    expect(postsOf(r.id)).toHaveLength(1);
    expect(await state(r.id)).toMatchObject({ state: 'sent', possible_repeat: false, history_failures: 0, message_ts: postsOf(r.id)[0]!.ts });
    // Waiting is not failing: no attempt of the job was used up.
    expect(second.lines.some((l) => l.msg === 'job failed')).toBe(false);
  });
});
