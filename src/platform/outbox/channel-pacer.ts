import type { Redis } from 'ioredis';

/**
 * Per-channel pacing shared by every worker process through Redis. BullMQ's own limiter is
 * per queue, not per key, so each channel gets its own "next free slot": a job reserves the
 * slot and waits for it (as a delayed job, holding no worker), and a 429 pauses only that
 * channel. Times come from Redis (TIME), so workers on several hosts agree.
 *
 * A reservation only says roughly when to wake up: between waking and posting, a job claims
 * its row and renders, which takes a variable few milliseconds. So right before each post a
 * gate checks the time since the channel's last post started, and a job that is a little
 * early waits out the rest in place. Reservations spread the jobs; the gate spaces the posts.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local job = ARGV[2]
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local held = tonumber(redis.call('HGET', KEYS[3], job) or '0')
if held > 0 then
  redis.call('HDEL', KEYS[3], job)
  if paused <= now and held <= now + tonumber(ARGV[3]) then return {1, now} end
end
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free, paused)
redis.call('SET', KEYS[1], slot + interval, 'PX', slot + interval - now + 1000)
if slot <= now then return {1, now} end
redis.call('HSET', KEYS[3], job, slot)
redis.call('PEXPIRE', KEYS[3], slot - now + 60000)
return {0, slot}`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return untilMs`;

const GATE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local ready = math.max(last + interval, paused)
if ready <= now then
  redis.call('SET', KEYS[1], now, 'PX', interval + 1000)
  return 0
end
return ready - now`;

const ANSWERED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if now > last then redis.call('SET', KEYS[1], now, 'PX', tonumber(ARGV[1]) + 1000) end
return 0`;

/** A job that holds a slot may be woken this much before it by clock differences between hosts. */
const EARLY_TOLERANCE_MS = 250;

export type Reservation = { go: true } | { go: false; slot: number };

type Scripted = Redis & {
  docketReserve(next: string, pause: string, held: string, interval: number, job: string, tolerance: number): Promise<[number, number]>;
  docketPause(pause: string, ms: number): Promise<number>;
  docketGate(last: string, pause: string, interval: number): Promise<number>;
  docketAnswered(last: string, interval: number): Promise<number>;
};

export class ChannelPacer {
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    readonly intervalMs: number,
  ) {
    if (!('docketReserve' in redis)) {
      redis.defineCommand('docketReserve', { numberOfKeys: 3, lua: RESERVE });
      redis.defineCommand('docketPause', { numberOfKeys: 1, lua: PAUSE });
      redis.defineCommand('docketGate', { numberOfKeys: 2, lua: GATE });
      redis.defineCommand('docketAnswered', { numberOfKeys: 1, lua: ANSWERED });
    }
    this.redis = redis as Scripted;
  }

  private keys(channel: string): [string, string] {
    return [`${this.prefix}:rl:${channel}:next`, `${this.prefix}:rl:${channel}:pause`];
  }

  /**
   * Takes the channel's next slot for this job. A job that comes back to a slot it reserved
   * before being delayed (the slot is kept in Redis, under the job's id) goes without
   * queueing again, unless a 429 pause intervened.
   */
  async reserve(channel: string, jobId: string): Promise<Reservation> {
    const [next, pause] = this.keys(channel);
    const [go, at] = await this.redis.docketReserve(next, pause, `${this.prefix}:rl:${channel}:held`, this.intervalMs, jobId, EARLY_TOLERANCE_MS);
    return go === 1 ? { go: true } : { go: false, slot: at };
  }

  /**
   * Right before a post: 0 means go (and the post is counted from now); otherwise how many
   * milliseconds this channel must still wait.
   */
  gate(channel: string): Promise<number> {
    return this.redis.docketGate(`${this.prefix}:rl:${channel}:last`, this.keys(channel)[1], this.intervalMs);
  }

  /**
   * Slack answered the post (either way): the channel's interval counts from now. Slack counts
   * from when a post arrives, which is after the gate opened by however long the request took
   * to get there; posts sent side by side (a batch) arrive up to a hundred milliseconds apart,
   * so counting from the gate alone let the next post arrive inside the interval (429s).
   */
  async answered(channel: string): Promise<void> {
    await this.redis.docketAnswered(`${this.prefix}:rl:${channel}:last`, this.intervalMs);
  }

  /** Slack said 429 with Retry-After: nothing goes to this channel until then. Returns the end (Redis time, ms). */
  pause(channel: string, ms: number): Promise<number> {
    return this.redis.docketPause(this.keys(channel)[1], ms);
  }
}
