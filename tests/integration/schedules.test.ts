import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { overdueScheduleKey } from '../../src/features/items/overdue-schedule.js';
import { ChildWorker } from '../helpers/child-worker.js';
import { Harness } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * Recurring work runs once per occurrence, whoever runs it: two worker processes polling the
 * same schedules, one of them killed and restarted, and all of them down for a while. The
 * group's daily overdue reminder is made to recur every second, so that many occurrences pass
 * in a test; each occurrence plans one reminder for the overdue item, keyed by its time.
 */
let h: Harness;
const children: ChildWorker[] = [];
beforeAll(async () => {
  h = await Harness.start();
  await h.setupGroup();
  await h.command('/case open Zhou');
  await h.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0CARLOS|carlos> due:2020-01-01 17:00');
});
afterAll(() => h.stop());
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
});

async function start(): Promise<ChildWorker> {
  const w = await ChildWorker.start(h, { SCHEDULE_INTERVAL_MS: '100', SLACK_CHANNEL_INTERVAL_MS: '100' });
  children.push(w);
  return w;
}

const KEY = overdueScheduleKey(1);
/** Every occurrence any worker process reports having run, with who ran it. */
const ranBy = (workers: ChildWorker[]) => workers.flatMap((w) => w.lines.filter((l) => l.msg === 'schedule ran' && l.schedule === KEY).map((l) => String(l.occurrence)));

describe('a schedule', () => {
  it('fires once per occurrence across two workers, a SIGKILL and a restart, and catches up once after downtime', { timeout: 90_000 }, async () => {
    const start0 = new Date();
    await h.db
      .updateTable('schedules')
      .set({ rule: 'FREQ=SECONDLY', start_local: '2026-01-01T00:00:00', time_zone: 'UTC', next_run_at: start0 })
      .where('key', '=', KEY)
      .execute();
    const all: ChildWorker[] = [];
    const [a, b] = await Promise.all([start(), start()]);
    all.push(a!, b!);
    await until(() => ranBy(all).length >= 5, 30_000);
    // Both took part: the schedule row, not a process, decides who runs an occurrence.
    await until(() => (a!.lines.some((l) => l.msg === 'schedule ran') && b!.lines.some((l) => l.msg === 'schedule ran')) || undefined, 30_000);

    await a!.kill('SIGKILL');
    const before = ranBy(all).length;
    await until(() => ranBy(all).length >= before + 3, 30_000);
    all.push(await start());
    await until(() => ranBy(all).length >= before + 6, 30_000);

    // Everyone down for a few occurrences, then one worker back.
    await Promise.all(children.splice(0).map((c) => c.kill('SIGTERM')));
    const downAt = Date.now();
    const downSince = ranBy(all).length;
    // The downtime's length is the fault itself: three and a half occurrences with nobody there.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const upAt = Date.now();
    all.push(await start());
    await until(() => ranBy(all).length >= downSince + 3, 30_000);

    const occurrences = ranBy(all);
    expect(new Set(occurrences).size).toBe(occurrences.length); // none ran twice
    const inDowntime = occurrences.filter((o) => Date.parse(o) > downAt && Date.parse(o) < upAt);
    expect(inDowntime.length).toBeLessThanOrEqual(1); // caught up once, not once per missed second
    // Each occurrence planned its reminder, once (the outbox keeps one row per key). One more row
    // than logged occurrences at most: a worker SIGKILLed after its commit, before its log line.
    const planned = new Set((await h.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'item.overdue').execute()).map((p) => p.dedupe_key));
    for (const o of occurrences) expect(planned.has(`item:1:overdue:U0CARLOS:${Date.parse(o)}`)).toBe(true);
    expect(planned.size).toBeLessThanOrEqual(occurrences.length + 1);
    const row = await h.db.selectFrom('schedules').selectAll().where('key', '=', KEY).executeTakeFirstOrThrow();
    expect(row.next_run_at!.getTime()).toBeGreaterThan(row.last_occurrence!.getTime());
  });
});
