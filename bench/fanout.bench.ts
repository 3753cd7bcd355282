/**
 * Fan-out: 10,000 reminders due at the same moment across 1,000 channels (10 each), with the
 * fake Slack enforcing one message per second per channel and answering 429 beyond it.
 * Checks: none lost, none twice; total time against the floor the rate limit allows (the
 * 10th message of a channel cannot go before 9 s after the first).
 *
 *   npm run bench -- fanout [--reminders=10000] [--channels=1000] [--workers=1] [--concurrency=100]
 */
import { sql } from 'kysely';
import { pino } from 'pino';
import { systemClock } from '../src/domain/clock.js';
import { BullReminderScheduler, reminderQueue } from '../src/queue/reminder-queue.js';
import { FakeSlack } from '../src/slack/fake/fake-slack.js';
import { benchDatabase, flag, machine, ms, privateRedis, startWorker, stats } from './lib/env.js';
import { seedReminders } from './lib/seed.js';

const TOKEN = 'xoxb-bench';

export default async function fanout(flags: string[]) {
  const n = Number(flag(flags, 'reminders', '10000'));
  const channelCount = Number(flag(flags, 'channels', '1000'));
  const workers = Number(flag(flags, 'workers', '1'));
  const concurrency = Number(flag(flags, 'concurrency', '100'));
  const perChannel = Math.ceil(n / channelCount);
  const floorMs = (perChannel - 1) * 1000;
  console.log(`machine: ${machine()}`);
  console.log(`${n} reminders due at once over ${channelCount} channels (${perChannel} each); ${workers} worker process(es), concurrency ${concurrency}`);

  const channelId = (i: number) => `CF${String((i % channelCount) + 1).padStart(5, '0')}`;
  const channels = Array.from({ length: channelCount }, (_, i) => ({ id: channelId(i), name: `fan-${i}`, bot_member: true }));
  const fake = new FakeSlack({ token: TOKEN, teamId: 'TBENCH', users: [], channels: [{ id: 'C0BENCH', name: 'bench', bot_member: true }, ...channels], postIntervalMs: 1000 });
  await fake.listen();
  const redis = await privateRedis();
  const { url, db } = await benchDatabase();
  const prefix = 'fanout';
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: fake.apiUrl, DATABASE_URL: url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: String(concurrency), LOG_LEVEL: 'info' };
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));

  const start = new Date(Date.now() + 15_000);
  const rows = await seedReminders(db, Array.from({ length: n }, (_, i) => ({ at: start.getTime(), channel: channelId(i) })));
  const received = new Map<number, number[]>();
  let limited = 0;
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  fake.on('call', (c: { method: string; ok: boolean; error?: string; at: number; args: Record<string, any> }) => {
    if (c.method !== 'chat.postMessage') return;
    if (c.error === 'ratelimited') limited++;
    if (!c.ok) return;
    const id = Number(c.args.metadata?.event_payload?.reminder_id);
    received.set(id, [...(received.get(id) ?? []), c.at]);
    if (received.size === n) resolveDone();
  });
  const queue = reminderQueue(redis.client, prefix);
  await new BullReminderScheduler(queue, systemClock, pino({ level: 'warn' })).add(rows);
  if (Date.now() > start.getTime()) console.warn('  (seeding overran the start)');
  await Promise.race([done, new Promise((r) => setTimeout(r, start.getTime() - Date.now() + floorMs * 3 + 60_000))]);
  // Give any duplicate a moment to show up before counting.
  await new Promise((r) => setTimeout(r, 3000));

  const firsts = [...received.values()].map((a) => a[0]! - start.getTime());
  const total = Math.max(...firsts);
  const duplicates = [...received.values()].reduce((s, a) => s + a.length - 1, 0);
  const sent = await sql<{ n: number }>`select count(*)::int as n from reminders where state = 'sent'`.execute(db);
  const lateness = stats(firsts);
  console.log(`  delivered ${received.size}/${n} (rows marked sent: ${sent.rows[0]?.n}), lost ${n - received.size}, duplicates ${duplicates}, 429s answered ${limited}`);
  console.log(`  total ${ms(total)} vs floor ${ms(floorMs)}: ratio ${(total / floorMs).toFixed(2)} (target ≤ 1.20)`);
  console.log(`  per-reminder lateness p50 ${ms(lateness.p50)} p99 ${ms(lateness.p99)} max ${ms(lateness.max)}`);

  await Promise.all(procs.map((p) => p.stop()));
  await queue.obliterate({ force: true });
  await queue.close();
  await db.destroy();
  await redis.stop();
  await fake.close();
  return { n, channelCount, total, floorMs, lost: n - received.size, duplicates, limited };
}
