import { singleToken } from '../../src/slack/clients.js';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/domain/clock.js';
import { jobIdOf } from '../../src/platform/outbox/queue.js';
import { startWorkers } from '../../src/queue/workers.js';
import { Harness, TOKEN } from '../helpers/harness.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { advanceAndDeliver, outcomeOf, reminderPosts, sh, until } from '../helpers/reminders.js';

/**
 * Postgres is the source of truth; Redis only holds the schedule. These tests wipe Redis
 * (a private redis-server, never the shared one) and show the schedule coming back.
 */
const START = sh('2026-12-01T10:00:00');
const clock = new ManualClock(START);
let redis: PrivateRedis;
let h: Harness;
beforeAll(async () => {
  redis = await PrivateRedis.start();
  h = await Harness.start({ clock, workers: true, env: { REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '200', SLACK_CHANNEL_INTERVAL_MS: '100' } });
});
afterAll(async () => {
  await h.stop();
  await redis.stop();
});
beforeEach(async () => {
  await h.reset();
  h.logs.lines.length = 0;
  clock.set(START);
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
  await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
  await h.command('/action add GZ-2026-001 Freeze accounts unit:Police due:2026-12-02 17:00');
  await h.settled(); // the "case opened" post is out; what is left are the reminders
});

const pendingIds = async () => (await h.db.selectFrom('outbox').select('id').where('state', '=', 'pending').orderBy('id').execute()).map((r) => r.id);
const delayedIds = async () => (await h.workers!.scheduler.queue.getDelayed()).map((j) => Number(j.data.outboxId)).sort((a, b) => a - b);

describe('the reconciler', () => {
  it('rebuilds every pending reminder from Postgres after Redis is flushed, and they are delivered', async () => {
    const pending = await pendingIds();
    expect(pending.length).toBeGreaterThan(5);
    expect(await delayedIds()).toEqual(pending);
    await redis.client.flushall();
    expect(await delayedIds()).toEqual([]);
    // Within a reconcile interval (200 ms here; 20 s by default) the jobs are back.
    await until(async () => JSON.stringify(await delayedIds()) === JSON.stringify(pending));
    await h.logs.waitFor((l) => l.msg === 'reconciled outbox' && l.rebuilt === pending.length);
    const sent = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(sent.map((s) => s.outcome)).toEqual(['sent', 'sent']);
    expect(reminderPosts(h).map((p) => p.args.channel)).toEqual(['U0CARLOS', 'U0CARLOS']);
  });

  it('after the bot was down and Redis lost its data, sends what fell due meanwhile, marked late', async () => {
    await h.workers!.close();
    clock.set(sh('2026-12-01T14:00:00')); // down from 10:00 to 14:00: the 11:00 and 12:00 reminders were missed
    await redis.client.flushall();
    const config = loadConfig(h.env);
    const log = pino({ level: 'debug' }, { write: (l: string) => h.logs.write(l) });
    h.workers = startWorkers({ config: config.workers, log, db: h.db, redis: h.redis, clock, tokens: singleToken(TOKEN), slackApiUrl: h.fake.apiUrl });
    const missed = (await h.db.selectFrom('outbox').select('id').where('fire_at', '<', clock.now()).where('state', '=', 'pending').execute()).map((r) => r.id);
    expect(missed).toHaveLength(2);
    const outs = await Promise.all(missed.map((id) => outcomeOf(h, id)));
    expect(outs.map((o) => [o.outcome, o.late])).toEqual([
      ['sent', true],
      ['sent', true],
    ]);
    expect(JSON.stringify(reminderPosts(h)[0]!.args.blocks)).toContain('Sent late');
    const rows = await h.db.selectFrom('outbox').selectAll().where('id', 'in', missed).execute();
    expect(rows.every((r) => r.state === 'sent' && r.late)).toBe(true);
    // The future ones are scheduled again, not sent.
    expect((await delayedIds()).length).toBe((await pendingIds()).length);
  });

  it('re-enqueues a reminder whose job was lost after its row committed', async () => {
    const [first] = await pendingIds();
    await h.workers!.scheduler.queue.remove(jobIdOf(first!)); // as if the enqueue after commit had failed
    clock.set(sh('2026-12-01T11:01:00')); // a minute past its time: past the reconciler's grace
    await outcomeOf(h, first!);
    expect(reminderPosts(h).map((p) => Number(p.args.metadata.event_payload.outbox_id))).toEqual([first]);
  });
});
