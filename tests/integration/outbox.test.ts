import { singleToken } from '../../src/slack/clients.js';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/domain/clock.js';
import { CASE_POSTS } from '../../src/features/cases/post-kinds.js';
import type { BullOutboxScheduler } from '../../src/platform/outbox/queue.js';
import type { RecordedCall } from '../../src/slack/fake/fake-slack.js';
import { startWorkers, type Workers } from '../../src/queue/workers.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { Harness, TOKEN } from '../helpers/harness.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { until } from '../helpers/wait.js';

/**
 * Channel posts go through the same outbox as reminders: after the change commits, paced per
 * channel, in order, exactly once, through a worker's death and a Redis that lost everything.
 * The "case opened" post is the kind under test here: its subject is a case, not an item.
 */
const outboxIdOf = (c: RecordedCall) => Number(c.args.metadata?.event_payload?.outbox_id);
const refIn = (c: RecordedCall) => /GZ-\d{4}-\d{3}/.exec(String(c.args.text))?.[0];
const openedPosts = (h: Harness) => h.posts('C0GROUP').filter((c) => c.args.metadata?.event_payload?.kind === CASE_POSTS.opened);
const openedRow = (h: Harness) => h.db.selectFrom('outbox').selectAll().where('kind', '=', CASE_POSTS.opened).executeTakeFirstOrThrow();

describe('posts to one channel under Slack’s rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ workers: true, fake: { postIntervalMs: 1000 }, env: { WORKER_CONCURRENCY: '10' } });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset();
    await h.setupGroup();
  });

  it('six concurrent /case open in one channel give six "opened" posts, in the order of their references, none lost', { timeout: 60_000 }, async () => {
    const opened = await Promise.all(Array.from({ length: 6 }, (_, i) => h.command(`/case open Burst ${i}`)));
    expect(opened.every((r) => r.text.startsWith('Opened'))).toBe(true);
    await h.settled(30_000);
    const refs = (await h.db.selectFrom('cases').select('ref').orderBy('ref').execute()).map((c) => c.ref);
    expect(openedPosts(h).map(refIn)).toEqual(refs);
    expect(refs).toHaveLength(6);
    // Slack was never asked faster than it allows, so nothing had to be retried after a 429.
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0GROUP' && !c.ok)).toEqual([]);
  });
});

describe('a "case opened" post whose worker died after Slack took it', () => {
  let h: Harness;
  const children: ChildWorker[] = [];
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset();
    await h.setupGroup();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
  });

  it('is found in the channel’s history by the next worker and recorded, not posted again', { timeout: 60_000 }, async () => {
    h.fake.inject({ method: 'chat.postMessage', channel: 'C0GROUP', hang: 'after' });
    await h.command('/case open Zhou');
    const first = await ChildWorker.start(h);
    children.push(first);
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0GROUP', 15_000);
    expect(await first.kill('SIGKILL')).toBe(null);
    const row = await openedRow(h);
    expect(row.state).toBe('claimed'); // it reached Slack, and was never recorded

    const second = await ChildWorker.start(h);
    children.push(second);
    await second.waitFor((l) => l.msg === 'delivery' && l.outbox === row.id && l.outcome === 'recovered');
    const posted = h.fake.messages.filter((m) => Number(m.metadata?.event_payload?.outbox_id) === row.id);
    expect(posted).toHaveLength(1);
    expect(await openedRow(h)).toMatchObject({ state: 'sent', message_ts: posted[0]!.ts });
  });
});

describe('a "case opened" post when Redis lost its schedule', () => {
  let redis: PrivateRedis;
  let h: Harness;
  let workers: Workers | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    h = await Harness.start({ env: { REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await workers?.close();
    await h.stop();
    await redis.stop();
  });

  it('is rebuilt from Postgres by the reconciler and posted once', { timeout: 60_000 }, async () => {
    await h.setupGroup();
    await h.command('/case open Zhou');
    const row = await openedRow(h);
    const queue = (h.docket.deps.outbox as BullOutboxScheduler).queue;
    expect(await queue.count()).toBe(1);
    await redis.client.flushall();
    expect(await queue.count()).toBe(0);
    const log = pino({ level: 'debug' }, { write: (l: string) => h.logs.write(l) });
    workers = startWorkers({ config: loadConfig(h.env).workers, log, db: h.db, redis: h.redis, clock: systemClock, tokens: singleToken(TOKEN), slackApiUrl: h.fake.apiUrl });
    await h.logs.waitFor((l) => l.msg === 'reconciled outbox' && l.rebuilt >= 1);
    await until(() => openedPosts(h).length === 1 || undefined);
    await h.settled();
    expect(openedPosts(h).map(outboxIdOf)).toEqual([row.id]);
    expect((await openedRow(h)).state).toBe('sent');
  });
});
