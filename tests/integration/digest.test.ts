import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';
import { advanceTo, sh, until } from '../helpers/reminders.js';

// Thursday 2026-12-03 10:00 in Shanghai; the group is set up then (the harness's reference group).
const clock = new ManualClock(sh('2026-12-03T10:00'));
const h = useHarness({ clock, group: true, workers: true });

const digests = () => h.posts('C0GROUP').filter((c) => c.args.metadata?.event_payload?.kind === 'digest.weekly');
const digestRows = () => h.db.selectFrom('outbox').selectAll().where('kind', '=', 'digest.weekly').orderBy('id').execute();
const deliverUntil = async (at: Date) => {
  await advanceTo(h, clock, at);
  await h.settled();
};

async function close(ref: string, outcome: string, when: string) {
  const ask = await h.command(`/case close ${ref} ${outcome} ${when}`);
  const confirm = ask.reply!.args.blocks[1].elements[0];
  const r = await h.click(confirm.action_id, confirm.value);
  if (!r.text.includes('Closed')) throw new Error(r.text);
}

describe('the weekly digest', () => {
  it('is posted on Monday 09:00 in the group’s zone, once, at the day and time a coordinator sets', async () => {
    clock.set(sh('2026-12-03T10:00'));
    expect((await h.command('/digest')).text).toBe('The weekly digest is posted every Monday at 09:00 (Asia/Shanghai) in this channel.');
    await deliverUntil(sh('2026-12-07T08:59'));
    expect(digests()).toHaveLength(0);
    await deliverUntil(sh('2026-12-07T09:00'));
    expect(digests()).toHaveLength(1);
    // Its chart follows it into the channel, as a PNG with a description.
    await until(() => h.fake.calls.some((c) => c.method === 'files.completeUploadExternal') || undefined);
    const shared = h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal' || c.method === 'files.getUploadURLExternal');
    expect(shared.map((c) => [c.method, c.ok])).toEqual([
      ['files.getUploadURLExternal', true],
      ['files.completeUploadExternal', true],
    ]);
    expect(shared[0]!.args.alt_txt).toContain('Open cases at the end of each month');
    expect(String(shared[1]!.args.channel_id)).toBe('C0GROUP');
    const chart = h.fake.file(String(shared[0]!.response.file_id))!;
    expect(chart.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(chart.channels).toEqual(['C0GROUP']);
    // The planner running again (a second worker, a restart) plans nothing more for that week.
    await h.workers!.schedules.runOnce();
    await h.workers!.schedules.runOnce();
    await h.settled();
    expect(digests()).toHaveLength(1);
    expect(await digestRows()).toHaveLength(1);

    expect((await h.command('/digest schedule friday 17:30', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    expect((await h.command('/digest schedule someday 17:30')).text).toContain('“someday” is not a day of the week');
    expect((await h.command('/digest schedule fri 25:00')).text).toContain('“25:00” is not a time of day');
    expect((await h.command('/digest schedule 周五 17:30')).text).toBe('The weekly digest will be posted every Friday at 17:30 (Asia/Shanghai).');
    await deliverUntil(sh('2026-12-11T17:29'));
    expect(digests()).toHaveLength(1);
    await deliverUntil(sh('2026-12-11T17:30'));
    expect(digests()).toHaveLength(2);
    // Off: the Friday after passes without one; the audit log says who changed it.
    expect((await h.command('/digest off')).text).toBe('The weekly digest is off. `/digest schedule DAY HH:MM` starts it again.');
    await deliverUntil(sh('2026-12-18T18:00'));
    expect(digests()).toHaveLength(2);
    const changes = await h.db.selectFrom('audit_events').select(['actor_user_id', 'after']).where('kind', '=', 'digest.settings').orderBy('id').execute();
    expect(changes.map((c) => c.after)).toEqual([
      { day: 5, time: '17:30', enabled: true },
      { day: 5, time: '17:30', enabled: false },
    ]);
  });

  it('follows the group into another time zone', async () => {
    clock.set(sh('2026-12-03T10:00'));
    await h.command('/docket settings tz:America/New_York');
    const s = await h.db.selectFrom('schedules').selectAll().where('key', 'like', 'digest.weekly:%').executeTakeFirstOrThrow();
    expect(s.time_zone).toBe('America/New_York');
    // Monday 09:00 in New York is 22:00 in Shanghai.
    expect(s.next_run_at).toEqual(sh('2026-12-07T22:00'));
  });

  it('gives the week’s numbers from the ledger, in the group’s language; a quiet week says so', async () => {
    clock.set(sh('2026-12-03T10:00'));
    const quiet = await h.command('/digest preview');
    expect(String(quiet.reply!.args.text)).toContain('A quiet week: no case opened or closed, nothing recorded on a supervised case, no item overdue.');

    // Last year: one returned. This year: one surrendered (before this week), one returned this week.
    await h.command('/case open Zhou, fled 2003 opened:2024-03-01 since:2003-05-01');
    await h.command('/case open Qian, fled 2011 opened:2024-04-01');
    await h.command('/case open Sun, fled 2016 opened:2024-05-01');
    await h.command('/case open Li, fled 2019 opened:2026-11-30');
    await close('GZ-2024-001', 'returned', '2025-06-01');
    await close('GZ-2024-002', 'surrendered', '2026-03-01');
    await close('GZ-2024-003', 'returned', '2026-12-02');
    await h.command('/case money GZ-2024-003 recovered 1,200,000 CNY 2026-12-02 from his account');
    await h.command('/case money GZ-2024-002 recovered 300,000 CNY 2025-01-10');
    await h.command('/case money GZ-2026-001 frozen 50,000 CNY 2026-12-01');
    await h.command('/case supervise GZ-2026-001 <@U0DANA|dana>');
    await h.command('/action add GZ-2026-001 Ask Customs owner:<@U0BAO|bao> due:2026-12-01 17:00');
    await h.command('/action add GZ-2026-001 Draft the request due:2026-12-08 12:00');
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');

    const preview = await h.command('/digest preview');
    const text = String(preview.reply!.args.text);
    expect(text.split('\n').slice(0, 8)).toEqual([
      ':bar_chart: *Weekly digest · Ganzi Office* · 2026-11-26 – 2026-12-03',
      '*This week:* 1 opened, 1 closed',
      '• :new: *GZ-2026-001* Li, fled 2019',
      '• :white_check_mark: *GZ-2024-003* Sun, fled 2016 (returned)',
      '*Open cases:* 1 (target 0), same as last week',
      '*Closed in 2026:* 1 returned, 1 surrendered · *in 2025:* 1 returned',
      '*Recovered in 2026:* CN¥1,200,000.00 · *in total:* CN¥1,500,000.00',
      '*Frozen:* CN¥50,000.00',
    ]);
    expect(text).toContain('*Supervised cases*\n• *GZ-2026-001* Li, fled 2019 · <@U0DANA>\n    ◦ ');
    expect(text).toContain('*Overdue action items*\n• <@U0BAO>: #1');
    expect(text).toContain('*Due in the coming week*\n• #2 Draft the request · 2026-12-08 12:00');
    expect(text).toContain('*Meetings in the coming week*\n• #1 Joint meeting · 2026-12-08 09:30 +08:00');
    // Only to the caller: nothing in the channel.
    expect(preview.reply!.args.response_type).not.toBe('in_channel');
    expect(digests()).toHaveLength(0);

    const zh = String((await h.command('/digest preview', { user: 'U0BAO' })).reply!.args.text);
    expect(zh).toContain('*2026 年办结：*');
    expect(zh).toContain('*累计：*¥1,500,000.00');
    expect(zh).toContain('*在办案件：*1 件（目标 0），与上周持平');
  });

  it('is posted now by a coordinator, once however often Slack sends the command', async () => {
    clock.set(sh('2026-12-03T10:00'));
    const first = await h.command('/digest now');
    expect(first.text).toBe('Posting the digest to the channel now.');
    await h.command('/digest now', { triggerId: first.triggerId, retryNum: 1 });
    await h.settled();
    expect(digests()).toHaveLength(1);
    expect((await h.command('/digest now', { user: 'U0DANA' })).text).toBe('Only the group’s coordinators can do that.');
    await until(async () => (await digestRows()).every((r) => r.state === 'sent') || undefined);
  });
});
