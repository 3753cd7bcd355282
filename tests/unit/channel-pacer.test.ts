import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../src/platform/outbox/channel-pacer.js';
import { testPrefix } from '../helpers/harness.js';

/** Against the real (shared) Redis, under a prefix of its own that is deleted afterwards. */
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = testPrefix();
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const redisNow = async () => {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
};

describe('ChannelPacer', () => {
  it('hands out one slot per interval per channel, and other channels are free at once', async () => {
    const pacer = new ChannelPacer(redis, prefix, 1000);
    const t0 = await redisNow();
    const first = await pacer.reserve('C1', 'j1');
    const second = await pacer.reserve('C1', 'j2');
    const third = await pacer.reserve('C1', 'j3');
    expect(first).toEqual({ go: true });
    expect(second.go).toBe(false);
    expect(third.go).toBe(false);
    const [s2, s3] = [(second as { slot: number }).slot, (third as { slot: number }).slot];
    expect(s2 - t0).toBeGreaterThanOrEqual(1000);
    expect(s3 - s2).toBe(1000);
    expect(await pacer.reserve('C2', 'j4')).toEqual({ go: true });
    // A job that comes back once its slot has come goes without queueing again…
    const untilSlot = s2 - (await redisNow()) + 5;
    await new Promise((r) => setTimeout(r, untilSlot));
    expect(await pacer.reserve('C1', 'j2')).toEqual({ go: true });
    // …once: the slot is used up.
    expect((await pacer.reserve('C1', 'j2')).go).toBe(false);
  });

  it('gates posts: a second post within the interval must wait the rest of it', async () => {
    const pacer = new ChannelPacer(redis, prefix, 500);
    expect(await pacer.gate('C3')).toBe(0);
    const wait = await pacer.gate('C3');
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(500);
    expect(await pacer.gate('C4')).toBe(0);
  });

  it('counts the interval from Slack’s answer to a post, not from its gate: a slow post pushes the next one back', async () => {
    const pacer = new ChannelPacer(redis, prefix, 500);
    expect(await pacer.gate('C6')).toBe(0);
    // The post takes 300 ms to be answered (Slack received it somewhere in between).
    await new Promise((r) => setTimeout(r, 300));
    await pacer.answered('C6');
    const wait = await pacer.gate('C6');
    // From the gate alone it would be about 200 ms; from the answer, about 500.
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(500);
  });

  it('a 429 pause holds the channel’s reservations and posts until it ends', async () => {
    const pacer = new ChannelPacer(redis, prefix, 100);
    expect(await pacer.reserve('C5', 'j5')).toEqual({ go: true });
    expect((await pacer.reserve('C5', 'j6')).go).toBe(false); // j6 holds the next slot, 100 ms on
    const end = await pacer.pause('C5', 3000);
    expect(await pacer.reserve('C5', 'j7')).toEqual({ go: false, slot: end });
    expect(await pacer.gate('C5')).toBeGreaterThan(2500);
    await new Promise((r) => setTimeout(r, 150));
    // j6's slot has come, but the pause intervened: it queues again, after the pause.
    expect((await pacer.reserve('C5', 'j6')) as { slot: number }).toMatchObject({ go: false });
    expect(((await pacer.reserve('C5', 'j8')) as { slot: number }).slot).toBeGreaterThanOrEqual(end);
  });
});
