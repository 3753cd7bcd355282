import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';
import { advanceAndDeliver, advanceTo, sh, until } from '../helpers/reminders.js';

// Thursday 2026-12-03 10:00 in Shanghai.
const clock = new ManualClock(sh('2026-12-03T10:00'));
const h = useHarness({ clock, group: true, workers: true });

const meetingPosts = () => h.posts('C0GROUP').filter((c) => c.args.metadata?.event_payload?.kind === 'meeting.reminder');
const reminderRows = () => h.db.selectFrom('outbox').selectAll().where('kind', '=', 'meeting.reminder').orderBy('fire_at').execute();

describe('meeting reminders, with the agenda read from the ledger', () => {
  it('reminds the channel a day and a quarter of an hour before, once each, the day before with the agenda as it then is', async () => {
    await h.command('/case open Zhou, still at large');
    await h.command('/case supervise GZ-2026-001 <@U0DANA|dana>');
    await h.command('/action add GZ-2026-001 Consult Shanghai police owner:<@U0BAO|bao> due:2026-12-02 17:00');
    await h.command('/action add GZ-2026-001 Draft the arrest plan owner:<@U0CARLOS|carlos> due:2026-12-10 12:00');
    const r = await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30 where:Room 3');
    expect(r.text).toContain('*#1 Joint meeting*');
    // Planned a window ahead: Tuesday 8th and 15th, two reminders each.
    expect((await reminderRows()).map((x) => x.dedupe_key.split(':').slice(2).join(':'))).toEqual([
      '2026-12-08T01:30:00.000Z:1440',
      '2026-12-08T01:30:00.000Z:15',
    ]);

    // Monday 09:30: the day-before reminder, with the agenda as the ledger is now.
    await advanceAndDeliver(h, clock, sh('2026-12-07T09:30'));
    const [dayBefore] = meetingPosts();
    const text = String(dayBefore!.args.text);
    expect(text).toContain(':calendar: Meeting *#1 Joint meeting* starts in 1 day: 2026-12-08 09:30 +08:00 (Asia/Shanghai), 60 min, Room 3.');
    expect(text).toContain('*Agenda*');
    expect(text).toContain('*Supervised cases*\n• GZ-2026-001 Zhou, still at large · <@U0DANA>');
    expect(text).toContain('*Overdue action items*\n• <@U0BAO>: #1');
    expect(text).toContain('*Due before the next meeting*\n• #2 Draft the arrest plan');
    expect(text).toContain('*Opened since the last meeting*\n• GZ-2026-001');

    // Quarter of an hour before: short, no agenda.
    await advanceAndDeliver(h, clock, sh('2026-12-08T09:15'));
    expect(meetingPosts()).toHaveLength(2);
    expect(String(meetingPosts()[1]!.args.text)).toBe(':calendar: Meeting *#1 Joint meeting* starts in 15 minutes: 2026-12-08 09:30 +08:00 (Asia/Shanghai), 60 min, Room 3. _every week on Tuesday_');
    // The hourly top-up planned the next week's, and never twice however often it runs.
    await h.workers!.schedules.runOnce();
    await h.workers!.schedules.runOnce();
    const keys = (await reminderRows()).map((x) => x.dedupe_key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.includes('2026-12-15'))).toHaveLength(2);
  });

  it('says nothing for a cancelled series, and answers /meeting agenda on demand in the reader’s language', async () => {
    clock.set(sh('2026-12-03T10:00'));
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');
    const agenda = await h.command('/meeting agenda', { user: 'U0BAO' });
    expect(agenda.text).toBe('*#1 Joint meeting 议程*，2026-12-08 09:30 +08:00\n台账上暂无需会议讨论的事项：无督办或久无进展的案件，无逾期或到期事项。');
    const ask = await h.command('/meeting cancel 1');
    const cancelled = await h.click(ask.reply!.args.blocks[1].elements[0].action_id, ask.reply!.args.blocks[1].elements[0].value);
    expect(cancelled.text).toBe('Cancelled meeting *#1 Joint meeting*.');
    // Both reminders fall due, are found no longer wanted, and are cancelled unsent.
    expect(await advanceTo(h, clock, sh('2026-12-08T09:20'))).toHaveLength(2);
    await until(async () => (await reminderRows()).every((x) => x.state === 'cancelled') || undefined);
    expect(meetingPosts()).toHaveLength(0);
    expect((await h.command('/meeting agenda')).text).toBe('No meeting is coming up in this group.');
  });
});

describe('the group’s meeting reminders', () => {
  it('are set by a coordinator: every series is planned again, and a dropped offset’s reminders lapse', async () => {
    clock.set(sh('2026-12-03T10:00'));
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');
    expect((await h.command('/meeting settings')).text).toContain('Meeting reminders: 24h, 15m before each meeting');
    expect((await h.command('/meeting settings reminders:48h,1h')).text).toBe('Meeting reminders are now 2d, 1h before each meeting.');
    expect((await h.command('/meeting settings reminders:soon')).text).toContain('“soon” is not a list of reminders');
    expect((await h.command('/meeting settings reminders:1h', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    const offsets = (await reminderRows()).map((x) => x.dedupe_key.split(':').at(-1));
    expect(offsets.sort()).toEqual(['1440', '15', '2880', '60']);
    // Sunday 09:30, 48 h before: sent with the agenda. Tuesday 08:40: the 1 h one is sent; the old
    // day-before one (offset dropped) lapses unsent when due.
    const of8th = async () => (await reminderRows()).filter((x) => x.dedupe_key.includes('2026-12-08T'));
    const settledBy = async (at: Date) => (await of8th()).filter((x) => x.fire_at <= at).every((x) => x.state !== 'pending' && x.state !== 'claimed') || undefined;
    await advanceTo(h, clock, sh('2026-12-06T09:30'));
    await until(() => settledBy(sh('2026-12-06T09:30')));
    await advanceTo(h, clock, sh('2026-12-08T08:40'));
    await until(() => settledBy(sh('2026-12-08T08:40')));
    const byOffset = new Map((await of8th()).map((x) => [x.dedupe_key.split(':').at(-1), x.state]));
    expect(Object.fromEntries(byOffset)).toEqual({ '2880': 'sent', '1440': 'cancelled', '60': 'sent', '15': 'pending' });
    const texts = meetingPosts().map((c) => String(c.args.text));
    expect(texts[0]).toContain('starts in 2 days');
    expect(texts[0]).toContain('*Agenda*');
    expect(texts[1]).toContain('starts in 50 minutes');
    expect(texts[1]).not.toContain('*Agenda*');
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'meeting.settings').execute()).toHaveLength(1);
  });
});
