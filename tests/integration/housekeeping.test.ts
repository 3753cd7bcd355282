import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetRequestsBefore } from '../../src/db/audit.repo.js';
import { ManualClock } from '../../src/domain/clock.js';
import { INBOX_RETENTION_MS, REQUEST_KEY_RETENTION_MS } from '../../src/queue/housekeeping.js';
import { Harness, TEAM } from '../helpers/harness.js';

/**
 * The keys that make a retried or double-clicked request a no-op are only needed for minutes;
 * kept forever they would grow by one row per action for as long as an office uses docket.
 */
const clock = new ManualClock(new Date());
let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ clock, workers: true });
});
afterAll(() => h.stop());
beforeEach(async () => {
  clock.set(new Date()); // before the reset: the schedules it recreates count from the clock
  await h.reset();
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
  await h.command('/case note GZ-2026-001 Sister called');
});

const keys = async () => (await h.db.selectFrom('processed_requests').select('key').execute()).length;
const DAY = 24 * 3600_000;

/** Moves the clock, and runs what the schedules have due by then: the hourly housekeeping, once. */
async function at(t: Date): Promise<void> {
  clock.set(t);
  await h.workers!.schedules.runOnce();
}

describe('housekeeping, on its hourly schedule', () => {
  it('forgets handled-request keys once they are a week old, and keeps newer ones', async () => {
    const handled = await keys();
    expect(handled).toBeGreaterThanOrEqual(3);
    await at(new Date(Date.now() + REQUEST_KEY_RETENTION_MS - DAY));
    expect(await keys()).toBe(handled);

    await at(new Date(Date.now() + REQUEST_KEY_RETENTION_MS + DAY));
    expect(await keys()).toBe(0);
    // What the keys guarded is untouched: the case and its timeline stay.
    expect(await h.db.selectFrom('cases').select('ref').execute()).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.msg === 'forgot old request keys' && l.forgotten === handled)).toBe(true);
  });

  it('forgets finished requests in the inbox after a day, and never one still waiting to be carried out', async () => {
    const inbox = () => h.db.selectFrom('request_inbox').select(['key', 'state']).orderBy('id').execute();
    const all = await inbox();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((r) => r.state === 'done')).toBe(true);
    await h.db.updateTable('request_inbox').set({ state: 'received' }).where('key', '=', all[0]!.key).execute();
    await at(new Date(Date.now() + INBOX_RETENTION_MS - 3600_000));
    expect(await inbox()).toHaveLength(all.length);
    await at(new Date(Date.now() + INBOX_RETENTION_MS + 3600_000));
    expect(await inbox()).toEqual([{ key: all[0]!.key, state: 'received' }]);
  });

  it('deletes a large backlog in bounded batches until none is left', async () => {
    const old = new Date(Date.now() - 30 * DAY);
    await h.db
      .insertInto('processed_requests')
      .values(Array.from({ length: 23 }, (_, i) => ({ team_id: TEAM, key: `old-${i}`, created_at: old })))
      .execute();
    const recent = await keys() - 23;
    expect(await forgetRequestsBefore(h.db, new Date(Date.now() - DAY), 5)).toBe(23);
    expect(await keys()).toBe(recent);
  });
});
