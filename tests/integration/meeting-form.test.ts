import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { checkView } from '../../src/slack/fake/block-kit.js';
import { useHarness } from '../helpers/harness.js';

// A Thursday in Shanghai: 2026-12-03 10:00 (+08:00).
const clock = new ManualClock(new Date('2026-12-03T02:00:00Z'));
const h = useHarness({ clock, group: true });

type Block = Record<string, any>;

const meetings = () => h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
const audit = (kind: string) => h.db.selectFrom('audit_events').selectAll().where('kind', '=', kind).execute();
const block = (view: Record<string, any>, id: string): Block => view.blocks.find((b: Block) => b.block_id === id);
/** The ephemeral answers a person got in the group channel (a form answers there). */
const answers = (user = 'U0ALICE') => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.args.channel === 'C0GROUP').map((c) => String(c.args.text));

async function openForm(input = '/meeting schedule', user = 'U0ALICE') {
  const r = await h.command(input, { user });
  return h.openedView(r.triggerId);
}

/** The value of a unit's option in the form's list. */
const unitValue = (view: Record<string, any>, name: string): string => block(view, 'units').element.options.find((o: Block) => o.text.text === name).value;

/** What the form shows at first, as `submit` takes values. */
function initialValues(view: Record<string, any>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const b of view.blocks as Block[]) {
    if (b.type !== 'input') continue;
    const el = b.element;
    out[b.block_id] = el.initial_value ?? el.initial_option?.value ?? el.initial_date ?? el.initial_time ?? (el.initial_options ? el.initial_options.map((o: Block) => o.value).join(',') : null);
  }
  return out;
}

const filled = { title: 'Joint meeting', pattern: 'fortnightly', rule: null, date: '2026-12-08', time: '09:30', zone: 'Asia/Shanghai', duration: '90m', location: 'Room 3' };
const scheduledReply = 'Scheduled meeting *#1 Joint meeting*: every other week on Tuesday, 09:30 (Asia/Shanghai), 90 min, Room 3.\nNext: 2026-12-08 09:30 +08:00, 2026-12-22 09:30 +08:00, 2027-01-05 09:30 +08:00';

describe('the schedule form', () => {
  it('opens for /meeting schedule with nothing after it, within Slack’s limits, in the group’s zone', async () => {
    const r = await h.command('/meeting schedule');
    expect(r.text).toBe('');
    const view = h.openedView(r.triggerId);
    expect(view.callback_id).toBe('meeting.schedule');
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.map((b: Block) => b.block_id)).toEqual(['title', 'pattern', 'rule', 'date', 'time', 'zone', 'duration', 'location', 'units']);
    expect(block(view, 'title').element.max_length).toBe(150);
    expect(block(view, 'pattern').element.options.map((o: Block) => o.value)).toEqual(['weekly', 'fortnightly', 'monthly-first', 'monthly-last-workday', 'workdays', 'other']);
    expect(block(view, 'pattern').hint.text).toContain('weekday of the first meeting');
    expect(block(view, 'rule').hint.text).toContain('Read when “Other” is chosen above');
    expect(block(view, 'date').element.type).toBe('datepicker');
    expect(block(view, 'time').element.type).toBe('timepicker');
    expect(block(view, 'zone').element.initial_value).toBe('Asia/Shanghai');
    expect(block(view, 'duration').element.options.map((o: Block) => o.value)).toEqual(['30m', '45m', '60m', '90m', '120m', '180m']);
    expect(block(view, 'duration').element.initial_option.value).toBe('60m');
    expect(block(view, 'units').element.options.map((o: Block) => o.text.text)).toEqual(['Police', 'Procuratorate']);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0GROUP' });
  });

  it('schedules the series the command would, and answers as the command does', async () => {
    const view = await openForm();
    const res = await h.submit(view, { ...filled, units: unitValue(view, 'Police') });
    expect(res.body).toBeNull();
    const [row] = await meetings();
    expect(row).toMatchObject({ seq: 1, title: 'Joint meeting', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start_local: '2026-12-08T09:30', time_zone: 'Asia/Shanghai', duration_minutes: 90, location: 'Room 3', unit_ids: [Number(unitValue(view, 'Police'))], created_by: 'U0ALICE' });
    expect(await audit('meeting.scheduled')).toHaveLength(1);
    expect(answers()).toEqual([scheduledReply]);
    // The same series typed: the same words, under the next number.
    const typed = await h.command('/meeting schedule Joint meeting every:every 2 weeks on Tuesday starts:2026-12-08 09:30 for:90m where:Room 3 units:Police');
    expect(typed.text).toBe(scheduledReply.replace('#1', '#2'));
    const [, second] = await meetings();
    expect({ ...second, id: row!.id, seq: 1, created_at: row!.created_at }).toEqual(row);
  });

  it('reads “Other” as the words under it, or as an RRULE', async () => {
    let view = await openForm();
    expect((await h.submit(view, { ...filled, pattern: 'other', rule: 'second and fourth Tuesday of the month' })).body).toBeNull();
    view = await openForm();
    expect((await h.submit(view, { ...filled, pattern: 'other', rule: 'RRULE:FREQ=MONTHLY;BYMONTHDAY=15', date: '2026-12-15' })).body).toBeNull();
    view = await openForm();
    expect((await h.submit(view, { ...filled, pattern: 'monthly-last-workday', date: '2026-12-31' })).body).toBeNull();
    expect((await meetings()).map((x) => x.rule)).toEqual(['FREQ=MONTHLY;BYDAY=2TU,4TU', 'FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1']);
    expect(answers()[0]).toContain('the second and fourth Tuesday of every month, 09:30');
  });

  it('shows each mistake under its input, in the command’s words, and schedules nothing', async () => {
    const view = await openForm();
    const wrong = await h.submit(view, { ...filled, title: '', pattern: 'other', rule: 'every blue moon', zone: 'Mars/Olympus', units: '999' });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({
      response_action: 'errors',
      errors: {
        title: 'Title cannot be empty.',
        rule: expect.stringContaining('I can’t read “every blue moon” as a recurrence.'),
        zone: '“Mars/Olympus” is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.',
        units: 'A unit picked here is no longer in the group: pick again.',
      },
    });
    const both = await h.submit(view, { ...filled, pattern: 'weekly', rule: 'every Monday' });
    expect(both.body?.errors).toEqual({ rule: 'To use these words choose “Other” above; to keep the choice above, clear them.' });
    const none = await h.submit(view, { ...filled, pattern: 'other', rule: '  ' });
    expect(none.body?.errors).toEqual({ rule: 'Write how often it meets here, or choose one of the rhythms above.' });
    const forged = await h.submit(view, { ...filled, pattern: 'hourly' });
    expect(forged.body?.errors).toEqual({ pattern: 'Choose how often it meets, or choose “Other” and write it below.' });
    const badRule = await h.submit(view, { ...filled, pattern: 'other', rule: 'FREQ=MINUTELY' });
    expect(badRule.body?.errors).toEqual({ rule: expect.stringContaining('is not a recurrence rule a meeting can have') });
    const past = await h.submit(view, { ...filled, pattern: 'other', rule: 'FREQ=WEEKLY;COUNT=2', date: '2025-01-07' });
    expect(past.body?.errors).toEqual({ date: 'That series has no meeting after today: check the rule and the start.' });
    const longTitle = await h.submit(view, { ...filled, title: 'x'.repeat(151), duration: '3 days' });
    expect(longTitle.body?.errors).toEqual({ title: expect.stringContaining('150'), duration: expect.stringContaining('“3 days” is not a duration') });
    expect(await meetings()).toHaveLength(0);
    expect(await audit('meeting.scheduled')).toHaveLength(0);
    expect(answers()).toEqual([]);
  });

  it('schedules one series when the same form is sent twice, at once or again later', async () => {
    const view = await openForm();
    await Promise.all([h.submit(view, filled), h.submit(view, filled)]);
    await h.submit(view, filled);
    expect(await meetings()).toHaveLength(1);
    expect(await audit('meeting.scheduled')).toHaveLength(1);
    expect(answers().filter((t) => t.startsWith('Scheduled meeting'))).toEqual([scheduledReply]);
  });
});

describe('the edit form', () => {
  it('opens for /meeting edit N with no option, filled in with the series as it is', async () => {
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30 for:75m where:Room 3 units:Police');
    const view = await openForm('/meeting edit 1');
    expect(view.callback_id).toBe('meeting.edit');
    expect(checkView(view)).toEqual([]);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0GROUP', meeting: 1 });
    expect(view.blocks[0]).toMatchObject({ type: 'context', elements: [{ text: '*#1* · Joint meeting' }] });
    expect(initialValues(view)).toEqual({ title: 'Joint meeting', pattern: 'weekly', rule: null, date: '2026-12-08', time: '09:30', zone: 'Asia/Shanghai', duration: '75m', location: 'Room 3', units: unitValue(view, 'Police') });
    // A length the list lacks is offered as well, in its place.
    expect(block(view, 'duration').element.options.map((o: Block) => o.text.text)).toEqual(['30 min', '45 min', '1 h', '1 h 15 min', '1 h 30 min', '2 h', '3 h']);
  });

  it('shows a rule the list lacks in words that read back as the same rule, or as the rule itself', async () => {
    await h.command('/meeting schedule Twice a month every:2nd and 4th Tuesday of the month starts:2026-12-08 09:30 units:Police,Procuratorate');
    await h.command('/meeting schedule Ten Fridays rrule:FREQ=WEEKLY;BYDAY=FR;COUNT=10 starts:2026-12-04 15:00');
    const words = await openForm('/meeting edit 1');
    expect(initialValues(words)).toMatchObject({ pattern: 'other', rule: 'the second and fourth Tuesday of every month' });
    const rrule = await openForm('/meeting edit 2');
    expect(initialValues(rrule)).toMatchObject({ pattern: 'other', rule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=10' });
    // Sent as it opened, neither changes.
    const before = await meetings();
    expect((await h.submit(words, initialValues(words))).body).toBeNull();
    expect((await h.submit(rrule, initialValues(rrule))).body).toBeNull();
    expect(await meetings()).toEqual(before);
    expect(await audit('meeting.edited')).toHaveLength(0);
    expect(answers().at(-1)).toBe('Updated meeting *#2 Ten Fridays*: RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=10, 15:00 (Asia/Shanghai), 60 min.\nNext: 2026-12-04 15:00 +08:00, 2026-12-11 15:00 +08:00, 2026-12-18 15:00 +08:00');
  });

  it('saves what was changed, clears what was emptied, and answers as /meeting edit does', async () => {
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30 where:Room 3 units:Police');
    const view = await openForm('/meeting edit 1');
    const res = await h.submit(view, { ...initialValues(view), title: 'Weekly consultation', pattern: 'fortnightly', time: '15:00', location: '', units: '' });
    expect(res.body).toBeNull();
    expect((await meetings())[0]).toMatchObject({ seq: 1, title: 'Weekly consultation', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start_local: '2026-12-08T15:00', location: null, unit_ids: [] });
    const [edited] = await audit('meeting.edited');
    expect(edited!.after).toEqual({ title: 'Weekly consultation', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start_local: '2026-12-08T15:00', location: null, unit_ids: [] });
    const reply = 'Updated meeting *#1 Weekly consultation*: every other week on Tuesday, 15:00 (Asia/Shanghai), 60 min.\nNext: 2026-12-08 15:00 +08:00, 2026-12-22 15:00 +08:00, 2027-01-05 15:00 +08:00';
    expect(answers()).toEqual([reply]);
    // A second send of the same form changes nothing more.
    await h.submit(view, { ...initialValues(view), title: 'Something else' });
    expect((await meetings())[0]!.title).toBe('Weekly consultation');
  });

  it('refuses a series cancelled since the form opened', async () => {
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');
    const view = await openForm('/meeting edit 1');
    await h.click('meeting.cancel.confirm', JSON.stringify({ no: 1 }));
    const res = await h.submit(view, { ...initialValues(view), title: 'Renamed' });
    expect(res.body).toBeNull();
    expect(answers().at(-1)).toBe('Meeting #1 is already cancelled.');
    expect((await meetings())[0]!.title).toBe('Joint meeting');
  });
});

describe('who may use the forms', () => {
  it('opens neither form for a member, and a form a member sends changes nothing', async () => {
    await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30');
    for (const input of ['/meeting schedule', '/meeting edit 1']) {
      const r = await h.command(input, { user: 'U0CARLOS' });
      expect(r.text, input).toBe('Only the group’s coordinators can do that.');
      expect(h.fake.calls.some((c) => c.method === 'views.open' && c.args.trigger_id === r.triggerId), input).toBe(false);
    }
    // Forms opened by a coordinator, sent by a member.
    const schedule = await openForm();
    expect((await h.submit(schedule, filled, { user: 'U0CARLOS' })).body).toBeNull();
    const edit = await openForm('/meeting edit 1');
    expect((await h.submit(edit, { ...initialValues(edit), title: 'Taken over' }, { user: 'U0CARLOS' })).body).toBeNull();
    expect(answers('U0CARLOS')).toEqual(['Only the group’s coordinators can do that.', 'Only the group’s coordinators can do that.']);
    expect((await meetings()).map((x) => x.title)).toEqual(['Joint meeting']);
  });

  it('speaks Chinese to a Chinese coordinator: labels, mistakes and the answer', async () => {
    await h.command('/docket members set <@U0BAO|bao> role:coordinator');
    const view = await openForm('/meeting schedule', 'U0BAO');
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe('安排会议');
    expect(view.blocks.map((b: Block) => b.label.text)).toEqual(['名称', '周期', '或自行填写', '首次会议日期', '时间', '时区', '时长', '地点', '参会单位']);
    expect(block(view, 'pattern').element.options.map((o: Block) => o.text.text)).toContain('每月最后一个工作日');
    expect(block(view, 'duration').element.options.map((o: Block) => o.text.text)).toContain('1 小时 30 分钟');
    const wrong = await h.submit(view, { ...filled, title: '周例会', pattern: 'other', rule: '每月最后一个工作日', zone: 'Mars/Olympus' }, { user: 'U0BAO' });
    expect(wrong.body?.errors).toEqual({ zone: '无法识别时区“Mars/Olympus”。请使用 IANA 名称，如 Asia/Shanghai。' });
    expect((await h.submit(view, { ...filled, title: '周例会', pattern: 'other', rule: '每月最后一个工作日', date: '2026-12-31' }, { user: 'U0BAO' })).body).toBeNull();
    expect(answers('U0BAO')).toEqual(['已安排会议 *#1 周例会*：每月最后一个工作日，09:30（Asia/Shanghai），90 分钟，Room 3。\n下次： 2026-12-31 09:30 +08:00、2027-01-29 09:30 +08:00、2027-02-26 09:30 +08:00']);
  });
});
