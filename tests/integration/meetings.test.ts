import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

// A Thursday in Shanghai: 2026-12-03 10:00 (+08:00).
const clock = new ManualClock(new Date('2026-12-03T02:00:00Z'));
const h = useHarness({ clock, group: true });

const meetings = () => h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
const audit = (kind: string) => h.db.selectFrom('audit_events').selectAll().where('kind', '=', kind).execute();

describe('/meeting schedule, list, next, cancel', () => {
  it('schedules a series from words, numbers it in the group, and answers with the rule in words and the next three dates', async () => {
    const r = await h.command('/meeting schedule Joint meeting every:every 2 weeks on Tuesday starts:2026-12-08 09:30 for:1h30m where:Room 3');
    expect(r.text).toBe('Scheduled meeting *#1 Joint meeting*: every other week on Tuesday, 09:30 (Asia/Shanghai), 90 min, Room 3.\nNext: 2026-12-08 09:30 +08:00, 2026-12-22 09:30 +08:00, 2027-01-05 09:30 +08:00');
    expect(await meetings()).toMatchObject([{ seq: 1, title: 'Joint meeting', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start_local: '2026-12-08T09:30', time_zone: 'Asia/Shanghai', duration_minutes: 90, location: 'Room 3', cancelled_at: null }]);
    expect(await audit('meeting.scheduled')).toHaveLength(1);
    // Chinese words, a verbatim rule, and a zone of its own: #2 and #3.
    const zh = await h.command('/meeting schedule 定期会商 every:每月最后一个工作日 starts:2026-12-31 15:00');
    expect(zh.text).toContain('*#2 定期会商*: the last working day of every month, 15:00 (Asia/Shanghai), 60 min.');
    const ny = await h.command('/meeting schedule Call with New York rrule:FREQ=WEEKLY;BYDAY=FR starts:2027-03-05 09:30 tz:America/New_York');
    expect(ny.text).toContain('Next: 2027-03-05 09:30 -05:00, 2027-03-12 09:30 -05:00, 2027-03-19 09:30 -04:00');
  });

  it('reads it back in the reader’s language, and lists the next dates with their offsets', async () => {
    await h.command('/meeting schedule Joint meeting every:first Monday of the month starts:2027-01-04 09:30');
    const list = await h.command('/meeting list', { user: 'U0BAO' });
    expect(list.text).toBe('*会议*（1）\n*#1* Joint meeting：每月第一个周一，09:30（Asia/Shanghai）· 下次 2027-01-04 09:30 +08:00');
    const next = await h.command('/meeting next 1 4');
    expect(next.text).toBe('*Next dates of #1 Joint meeting*\n2027-01-04 09:30 +08:00\n2027-02-01 09:30 +08:00\n2027-03-01 09:30 +08:00\n2027-04-05 09:30 +08:00');
    expect((await h.command('/meeting next 1 51')).text).toBe('I list at most 50 dates at a time.\nUsage: /meeting next N [COUNT]');
    expect((await h.command('/meeting next 7')).text).toContain('This group has no meeting #7.');
  });

  it('refuses what it cannot read with the usage line, and schedules nothing', async () => {
    const usage = 'Usage: /meeting schedule TITLE (every:PHRASE | rrule:RULE) starts:YYYY-MM-DD HH:MM';
    const cases: [string, string][] = [
      ['/meeting schedule Weekly every:every blue moon starts:2026-12-08 09:30', 'I can’t read “every blue moon” as a recurrence.'],
      ['/meeting schedule Weekly rrule:FREQ=MINUTELY starts:2026-12-08 09:30', 'is not a recurrence rule a meeting can have'],
      ['/meeting schedule Weekly every:Tuesday starts:2026-02-30 09:30', '“2026-02-30 09:30” is not a start'],
      ['/meeting schedule Weekly every:Tuesday', 'Missing starts:YYYY-MM-DD HH:MM.'],
      ['/meeting schedule Weekly starts:2026-12-08 09:30', 'Say how often it meets'],
      ['/meeting schedule Weekly every:Tuesday starts:2026-12-08 09:30 tz:+08:00', 'is not a time zone I know'],
      ['/meeting schedule Weekly every:Tuesday starts:2026-12-08 09:30 for:3 days', '“3 days” is not a duration'],
      ['/meeting schedule Weekly every:Tuesday starts:2026-12-08 09:30 units:Customs', 'There is no unit called “Customs”'],
      ['/meeting schedule Past rrule:FREQ=WEEKLY;COUNT=2 starts:2025-01-07 09:30', 'That series has no meeting after today'],
      ['/meeting schedule every:Tuesday starts:2026-12-08 09:30', 'cannot be empty'],
    ];
    for (const [command, says] of cases) {
      const r = await h.command(command);
      expect(r.text, command).toContain(says);
      expect(r.text, command).toContain(usage);
    }
    expect(await meetings()).toHaveLength(0);
    // Members may read the schedule but not make it.
    expect((await h.command('/meeting schedule Weekly every:Tuesday starts:2026-12-08 09:30', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
  });

  it('cancels a series only once confirmed, once however often the button is pressed', async () => {
    await h.command('/meeting schedule Joint meeting every:Tuesday starts:2026-12-08 09:30');
    const ask = await h.command('/meeting cancel 1');
    expect(ask.text).toBe('Cancel the whole series *#1 Joint meeting*? Its past record stays.');
    expect((await meetings())[0]!.cancelled_at).toBeNull();
    const button = ask.reply!.args.blocks[1].elements[0];
    const done = await h.click(button.action_id, button.value);
    expect(done.text).toBe('Cancelled meeting *#1 Joint meeting*.');
    const again = await h.click(button.action_id, button.value);
    expect(again.text).toContain('Meeting #1 is already cancelled.');
    expect(await audit('meeting.cancelled')).toHaveLength(1);
    expect((await h.command('/meeting list')).text).toContain('No meetings scheduled.');
    expect((await h.command('/meeting next 1')).text).toContain('No more dates');
  });
});

describe('/meeting skip and move: one meeting of the series', () => {
  it('skips one and moves another; next dates, reminders and the audit follow, and each is done once', async () => {
    clock.set(new Date('2026-12-03T02:00:00Z'));
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');
    const skip = await h.command('/meeting skip 1 2026-12-15');
    expect(skip.text).toBe('Skipped *#1 Joint meeting* of 2026-12-15 09:30 +08:00. Its reminders will not go out.');
    const move = await h.command('/meeting move 1 2026-12-08 2026-12-09 14:00');
    expect(move.text).toBe('Moved *#1 Joint meeting* of 2026-12-08 09:30 +08:00 to *2026-12-09 14:00 +08:00*. Its reminders follow it.');
    expect((await h.command('/meeting next 1 3')).text).toBe('*Next dates of #1 Joint meeting*\n2026-12-09 14:00 +08:00\n2026-12-22 09:30 +08:00\n2026-12-29 09:30 +08:00');
    // The moved meeting's reminders are planned at its new time; the old ones lapse when due.
    const keys = (await h.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'meeting.reminder').execute()).map((r) => r.dedupe_key);
    expect(keys).toEqual(expect.arrayContaining(['meeting:1:2026-12-09T06:00:00.000Z:1440', 'meeting:1:2026-12-09T06:00:00.000Z:15']));
    // Once each: the same meeting again is refused, and so is a day it does not meet, a past one, a past new time.
    expect((await h.command('/meeting skip 1 2026-12-15')).text).toContain('already skipped or moved');
    expect((await h.command('/meeting skip 1 2026-12-16')).text).toContain('Meeting #1 does not meet on 2026-12-16');
    expect((await h.command('/meeting move 1 2026-12-22 2026-12-01 10:00')).text).toContain('can only be moved to a time ahead');
    expect((await h.command('/meeting skip 1 someday')).text).toContain('Usage: /meeting skip N DATE');
    expect(await h.db.selectFrom('meeting_changes').select('id').execute()).toHaveLength(2);
    expect((await audit('meeting.skipped')).length + (await audit('meeting.moved')).length).toBe(2);
    // A member may read but not change the schedule.
    expect((await h.command('/meeting skip 1 2026-12-22', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
  });
});

describe('/meeting edit', () => {
  it('changes what it is given and keeps the rest; the next dates and reminders follow; nothing given opens the form', async () => {
    clock.set(new Date('2026-12-03T02:00:00Z'));
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30 where:Room 3');
    const r = await h.command('/meeting edit 1 every:every Thursday starts:2026-12-10 15:00 for:2h');
    expect(r.text).toBe('Updated meeting *#1 Joint meeting*: every week on Thursday, 15:00 (Asia/Shanghai), 120 min, Room 3.\nNext: 2026-12-10 15:00 +08:00, 2026-12-17 15:00 +08:00, 2026-12-24 15:00 +08:00');
    expect((await meetings())[0]).toMatchObject({ title: 'Joint meeting', rule: 'FREQ=WEEKLY;BYDAY=TH', start_local: '2026-12-10T15:00', duration_minutes: 120, location: 'Room 3' });
    const keys = (await h.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'meeting.reminder').execute()).map((x) => x.dedupe_key);
    expect(keys).toEqual(expect.arrayContaining(['meeting:1:2026-12-10T07:00:00.000Z:1440']));
    const [edited] = await audit('meeting.edited');
    expect(edited!.after).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=TH', start_local: '2026-12-10T15:00', duration_minutes: 120 });
    // Nothing given: the series opens in the form (tests/integration/meeting-form.test.ts).
    expect(h.openedView((await h.command('/meeting edit 1')).triggerId).callback_id).toBe('meeting.edit');
    expect((await h.command('/meeting edit 1 title:Weekly consultation')).text).toContain('*#1 Weekly consultation*');
    expect((await h.command('/meeting edit 1 every:every blue moon')).text).toContain('I can’t read “every blue moon”');
    expect((await meetings())[0]!.rule).toBe('FREQ=WEEKLY;BYDAY=TH');
  });
});

describe('meeting numbers under load', () => {
  it('20 schedules at once in one group take 20 distinct, consecutive numbers, each answered with its own', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => h.command(`/meeting schedule Series ${i} every:every Tuesday starts:2026-12-08 09:30 for:1h30m`)));
    const numbers = replies.map((r) => Number(/\*#(\d+) /.exec(r.text)?.[1]));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const rows = await meetings();
    expect(rows.map((x) => x.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(rows.every((x) => x.duration_minutes === 90)).toBe(true);
    expect(await audit('meeting.scheduled')).toHaveLength(20);
  });
});
