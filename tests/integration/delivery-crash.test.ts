import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertReminders } from '../../src/db/reminders.repo.js';
import type { Scheduled } from '../../src/db/reminders.repo.js';
import type { BullReminderScheduler } from '../../src/queue/reminder-queue.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { Harness } from '../helpers/harness.js';
import { until } from '../helpers/reminders.js';

/**
 * Exactly-once delivery with real worker processes: killed mid-delivery with SIGKILL and
 * restarted, and two of them racing for the same reminders. The web side runs in this
 * process; the workers are children against the same Postgres, Redis prefix and fake Slack.
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
  await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:next month');
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
});

const scheduler = () => h.docket.deps.reminders as BullReminderScheduler;

/**
 * Reminders of item 1 that are due right now, to these channels. They are escalations: the
 * one kind delivery does not check against the item's owner, so any channel will do.
 */
async function plantDue(channels: string[]): Promise<Scheduled[]> {
  const now = Date.now();
  const rows = await insertReminders(
    h.db,
    channels.map((channel, i) => ({ team_id: 'T0LOCAL', group_id: 1, item_id: 1, kind: 'escalation' as const, fire_at: new Date(now - i), channel })),
  );
  await scheduler().schedule(rows);
  return rows;
}

async function start(env: Record<string, string> = {}): Promise<ChildWorker> {
  const w = await ChildWorker.start(h, { SLACK_CHANNEL_INTERVAL_MS: '200', ...env });
  children.push(w);
  return w;
}

const state = async (id: number) => (await h.db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
const postsOf = (id: number) => h.fake.messages.filter((m) => Number(m.metadata?.event_payload?.reminder_id) === id);

describe('a worker killed mid-delivery, then restarted', () => {
  it('after Slack accepted the post but before it was recorded: finds the message, records it, posts nothing more', async () => {
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0BAO', hang: 'after' });
    const [r] = await plantDue(['U0BAO']);
    const first = await start();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0BAO', 15_000);
    expect(await first.kill('SIGKILL')).toBe(null);
    expect(postsOf(r!.id)).toHaveLength(1); // it reached Slack…
    expect((await state(r!.id)).state).toBe('claimed'); // …and was never recorded

    const second = await start();
    await second.waitFor((l) => l.msg === 'reminder' && l.reminder === r!.id && l.outcome === 'recovered');
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
    await second.waitFor((l) => l.msg === 'reminder' && l.reminder === r!.id && l.outcome === 'sent');
    expect(postsOf(r!.id)).toHaveLength(1);
    expect((await state(r!.id)).message_ts).toBe(postsOf(r!.id)[0]!.ts);
  });
});

describe('two worker processes at once', () => {
  it('post each reminder exactly once, even with two jobs per reminder racing', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const channels = ['U0ALICE', 'U0BAO', 'U0CARLOS', 'U0DANA', 'U0ERIN', 'C0GROUP', 'C0COUNTY', 'C0ANNOUNCE'];
    const rows = await plantDue([...channels, ...channels, ...channels]);
    // A second job for every reminder (a duplicate enqueue, a retry racing the original).
    await scheduler().queue.addBulk(rows.map((r) => ({ name: 'reminder.deliver', data: { reminderId: r.id }, opts: { jobId: `dup${r.id}` } })));
    await until(async () => (await h.db.selectFrom('reminders').select('id').where('item_id', '=', 1).where('state', '=', 'sent').execute()).length === rows.length, 30_000);
    for (const r of rows) expect(postsOf(r.id)).toHaveLength(1);
    expect(h.fake.messages.filter((m) => m.metadata)).toHaveLength(rows.length);
    // Both processes did part of the work.
    for (const w of [a!, b!]) expect(w.lines.some((l) => l.msg === 'reminder' && l.outcome === 'sent')).toBe(true);
  });
});

describe('shutdown', () => {
  it('a worker process stops cleanly on SIGTERM', async () => {
    const w = await start();
    expect(await w.kill('SIGTERM')).toBe(0);
    expect(w.lines.some((l) => l.msg === 'shutting down')).toBe(true);
  });
});
