import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { Conflict } from '../../src/errors.js';
import { RECORD_MINUTES } from '../../src/features/meetings/minutes.js';
import { recordMinutes } from '../../src/services/minutes.service.js';
import { caseForActor } from '../../src/services/cases.service.js';
import { scopeForChannel, type ServiceContext } from '../../src/services/scope.js';
import { TEAM, useHarness } from '../helpers/harness.js';
import { advanceTo, sh, until } from '../helpers/reminders.js';

// Thursday 2026-12-03 10:00 in Shanghai; the meeting is every Tuesday at 09:30 from the 8th.
const clock = new ManualClock(sh('2026-12-03T10:00'));
const h = useHarness({ clock, group: true, workers: true });

const held = sh('2026-12-08T09:30');
const lastEphemeral = () => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral').at(-1)?.args.text as string | undefined;
const items = () => h.db.selectFrom('action_items').selectAll().orderBy('id').execute();
const minutesRows = () => h.db.selectFrom('meeting_minutes').selectAll().execute();
const postsOf = (kind: string, channel?: string) => h.posts(channel).filter((c) => c.args.metadata?.event_payload?.kind === kind);
const caseId = async (ref: string) => (await h.db.selectFrom('cases').select('id').where('ref', '=', ref).executeTakeFirstOrThrow()).id;
const unitId = async (name: string) => (await h.db.selectFrom('units').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
/** Moves the clock and waits until everything due by then has gone out (outbox ids repeat across tests: rows, not log lines, say so). */
const deliverUntil = async (at: Date) => {
  await advanceTo(h, clock, at);
  await h.settled();
};
const buttonOf = (post: { args: Record<string, any> }) => (post.args.blocks as any[]).find((b) => b.type === 'actions').elements[0];

beforeEach(async () => {
  clock.set(sh('2026-12-03T10:00'));
  await h.command('/case open Zhou, still at large');
  await h.command('/case supervise GZ-2026-001 <@U0DANA|dana>');
  await h.command('/case open Qian, fled 2011');
  await h.command('/meeting schedule Joint meeting every:every Tuesday starts:2026-12-08 09:30 units:Police');
});

/** The meeting's day-before reminder, its "Record minutes" button, and the form it opens once the meeting has begun. */
async function minutesForm(who = 'U0ALICE') {
  await deliverUntil(sh('2026-12-08T10:00'));
  const [reminder] = postsOf('meeting.reminder', 'C0GROUP');
  const button = buttonOf(reminder!);
  expect(button.action_id).toBe(RECORD_MINUTES);
  const r = await h.click(button.action_id, button.value, { user: who });
  return h.openedView(r.triggerId);
}

describe('minutes', () => {
  it('record attendance, guests, notes per case and decisions: the decisions become items, all posted and on each case’s timeline', async () => {
    const [one, two, police] = [await caseId('GZ-2026-001'), await caseId('GZ-2026-002'), await unitId('Police')];
    const view = await minutesForm();
    expect(view.title.text).toBe('Minutes');
    expect(view.blocks[0].elements[0].text).toBe('Minutes of *#1 Joint meeting*, 2026-12-08 09:30 +08:00');
    // The meeting's units come ticked; the supervised case comes first among the cases asked about.
    const units = view.blocks.find((b: any) => b.block_id === 'units');
    expect(units.element.initial_options.map((o: any) => o.value)).toEqual([String(police)]);
    expect(view.blocks.filter((b: any) => /^case_/.test(b.block_id)).map((b: any) => b.block_id)).toEqual([`case_${one}`, `case_${two}`]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);

    const res = await h.submit(view, {
      units: String(police),
      guests: 'Li Wei, Hunan police\n\nWang Fang, Guangdong procuratorate',
      notes: 'Both cases gone through.',
      [`case_${one}`]: 'Seen in Changsha last week.',
      other: 'GZ-2026-002: sighting reported in Shenzhen',
      d1_text: 'Ask Hunan police for the hotel records',
      d1_case: String(one),
      d1_owner: 'U0BAO',
      d1_due: '2026-12-15',
      d2_text: 'Check the Shenzhen sighting',
      d2_case: String(two),
      d2_unit: String(police),
      d2_due: '2026-12-20',
    });
    expect(res.body).toBeNull();
    expect(lastEphemeral()).toBe('Recorded the minutes of *#1 Joint meeting* of 2026-12-08 09:30 +08:00; they are posted in the channel. Action items: #1, #2.');

    const [a, b] = await items();
    expect(a).toMatchObject({ case_id: one, text: 'Ask Hunan police for the hotel records', owner_user_id: 'U0BAO', due_at: sh('2026-12-15T17:00') });
    expect(b).toMatchObject({ case_id: two, owner_unit_id: police, due_at: sh('2026-12-20T17:00') });
    const [minutes] = await minutesRows();
    expect(minutes).toMatchObject({ occurrence: held, unit_ids: [police], guests: ['Li Wei, Hunan police', 'Wang Fang, Guangdong procuratorate'], item_ids: [a!.id, b!.id], recorded_by: 'U0ALICE' });

    await h.settled();
    const [post] = postsOf('meeting.minutes', 'C0GROUP');
    expect(String(post!.args.text).split('\n')).toEqual([
      ':memo: *Minutes of #1 Joint meeting*, 2026-12-08 09:30 +08:00',
      '*Present:* Police',
      '*Guests:* Li Wei, Hunan police, Wang Fang, Guangdong procuratorate',
      '*Notes*',
      'Both cases gone through.',
      '*Cases*',
      '• *GZ-2026-001* Zhou, still at large: Seen in Changsha last week.',
      '• *GZ-2026-002* Qian, fled 2011: sighting reported in Shenzhen',
      '*Decisions*',
      '• #1 Ask Hunan police for the hotel records · <@U0BAO> · due 2026-12-15 17:00 (GZ-2026-001)',
      '• #2 Check the Shenzhen sighting · Police · due 2026-12-20 17:00 (GZ-2026-002)',
      '_Recorded by <@U0ALICE>._',
    ]);
    // Each case's timeline says what was said there and what was decided, at the meeting's time.
    const timeline = async (ref: string) => ((await h.command(`/case history ${ref}`)).reply!.args.blocks as any[]).map((b) => b.text?.text ?? '').join('\n');
    expect(await timeline('GZ-2026-001')).toContain('2026-12-08 09:30 <@U0ALICE> discussed at #1 Joint meeting of 2026-12-08 09:30: Seen in Changsha last week. (action items #1)');
    expect(await timeline('GZ-2026-002')).toContain('discussed at #1 Joint meeting of 2026-12-08 09:30: sighting reported in Shenzhen (action items #2)');
  });

  it('are all or nothing: a decision that cannot become an item leaves no minutes and no other item', async () => {
    await deliverUntil(sh('2026-12-08T10:00'));
    const reader = { db: h.db, teamId: TEAM, userId: 'U0ALICE' };
    const ctx: ServiceContext = { ...h.docket.deps, ...reader };
    const scope = await scopeForChannel(reader, 'C0GROUP');
    const { case: open } = await caseForActor(reader, 'GZ-2026-001', 'write');
    const { case: other } = await caseForActor(reader, 'GZ-2026-002', 'write');
    // The second case closes after the form was read, before the minutes are recorded.
    const ask = await h.command('/case close GZ-2026-002 returned');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    const recording = recordMinutes(ctx, scope, (await h.db.selectFrom('meetings').select('id').executeTakeFirstOrThrow()).id, {
      occurrence: held,
      unitIds: [],
      guests: [],
      notes: 'Short meeting',
      caseNotes: [{ case: open, note: 'Nothing new' }],
      decisions: [
        { case: open, text: 'Call the family', owner: { userId: 'U0BAO' }, dueAt: sh('2026-12-10T17:00') },
        { case: other, text: 'Archive the file', owner: { userId: 'U0BAO' }, dueAt: sh('2026-12-10T17:00') },
      ],
    });
    await expect(recording).rejects.toBeInstanceOf(Conflict);
    expect(await items()).toEqual([]);
    expect(await minutesRows()).toEqual([]);
    expect(await h.db.selectFrom('audit_events').select('kind').where('kind', 'in', ['meeting.minutes', 'meeting.discussed', 'action.added']).execute()).toEqual([]);
  });

  it('refuse on the form what the items would refuse, and record one set of minutes per meeting however often they are sent', async () => {
    const one = await caseId('GZ-2026-001');
    const view = await minutesForm();
    const bad = await h.submit(view, {
      d1_text: 'Call the family',
      d1_case: String(one),
      d1_owner: 'U0ERIN',
      d1_due: '2026-12-15',
      d2_text: 'Half a decision',
      other: 'the family called',
    });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: {
        d1_owner: expect.stringContaining('is not a member of this group'),
        d2_case: 'A decision needs its case, an owner (a person or a unit) and a due date.',
        other: '“the family called” does not start with a case reference and a colon, e.g. ZA-2026-0007: what was said.',
      },
    });
    expect(await minutesRows()).toEqual([]);

    const values = { d1_text: 'Call the family', d1_case: String(one), d1_owner: 'U0BAO', d1_due: '2026-12-15' };
    await Promise.all([h.submit(view, values), h.submit(view, values, { retryNum: 1 })]);
    await until(async () => (await minutesRows()).length === 1 || undefined);
    expect(await items()).toHaveLength(1);
    // Another form for the same meeting, opened before the first was sent, is refused.
    const again = await h.submit({ ...view, id: 'V0SECOND' }, values);
    expect(again.body).toBeNull();
    expect(lastEphemeral()).toBe('The minutes of #1 of 2026-12-08 09:30 +08:00 were already recorded by <@U0ALICE>.');
    expect(await items()).toHaveLength(1);
    expect(await minutesRows()).toHaveLength(1);
  });

  it('two people sending minutes of one meeting at the same moment: one set is recorded with its items, the other told who recorded them', async () => {
    const one = await caseId('GZ-2026-001');
    const view = await minutesForm();
    const mine = { d1_text: 'Call the family', d1_case: String(one), d1_owner: 'U0BAO', d1_due: '2026-12-15' };
    const theirs = { d1_text: 'Write to the bank', d1_case: String(one), d1_owner: 'U0BAO', d1_due: '2026-12-16' };
    await Promise.all([h.submit({ ...view, id: 'V0RACEA' }, mine), h.submit({ ...view, id: 'V0RACEB' }, theirs)]);
    await until(async () => (await minutesRows()).length === 1 || undefined);
    const texts = (await items()).map((i) => i.text);
    // Whichever won, only its decision became an item: nothing of the other half-written.
    expect(texts.length === 1 && ['Call the family', 'Write to the bank'].includes(texts[0]!)).toBe(true);
    // The other sender hears who recorded them (not necessarily last: the winner's own replies may follow).
    const ephemerals = () => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => String(c.args.text));
    await until(() => ephemerals().some((t) => t.includes('were already recorded by')) || undefined, 20_000).catch(() => {
      throw new Error(`the other sender was not told; ephemerals: ${JSON.stringify(ephemerals())}`);
    });
    expect(await minutesRows()).toHaveLength(1);
  });

  it('open by command for the last meeting held or a date, in the reader’s language; not before the meeting, not for observers', async () => {
    expect((await h.command('/meeting minutes 1')).text).toContain('Meeting #1 has not been held yet: minutes are recorded once it has begun.');
    await deliverUntil(sh('2026-12-16T08:00'));
    // The last one held is the 15th; the 8th is named by its date; the 9th had none.
    const last = await h.command('/meeting minutes 1', { user: 'U0BAO' });
    const zh = h.openedView(last.triggerId);
    expect(zh.title.text).toBe('会议纪要');
    expect(zh.blocks[0].elements[0].text).toBe('*#1 Joint meeting* 2026-12-15 09:30 +08:00 的纪要');
    const byDate = await h.command('/meeting minutes 1 2026-12-08');
    expect(h.openedView(byDate.triggerId).blocks[0].elements[0].text).toBe('Minutes of *#1 Joint meeting*, 2026-12-08 09:30 +08:00');
    expect((await h.command('/meeting minutes 1 2026-12-09')).text).toContain('Meeting #1 was not held on 2026-12-09.');
    expect((await h.command('/meeting minutes 1 someday')).text).toContain('/meeting minutes N [DATE]');
    expect((await h.command('/meeting minutes 1', { user: 'U0DANA' })).text).toContain('read');
    expect(h.fake.calls.filter((c) => c.method === 'views.open')).toHaveLength(2);
  });

  it('missing two days after the meeting ended are mentioned to its convener once, and not at all once recorded', async () => {
    // Meeting of the 8th: 09:30 for 60 min, so the convener hears on the 10th at 10:30.
    await deliverUntil(sh('2026-12-10T10:30'));
    const nudges = postsOf('meeting.minutes.nudge');
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.args.channel).toBe('U0ALICE');
    expect(String(nudges[0]!.args.text)).toBe(
      ':memo: Meeting *#1 Joint meeting* of 2026-12-08 09:30 +08:00 has no minutes yet. Record them so that its decisions become action items (`/meeting minutes 1`).',
    );
    // Its button opens the same form (in the direct message: the minutes still belong to the group channel).
    const button = buttonOf(nudges[0]!);
    const dm = (await h.db.selectFrom('outbox').select('message_channel').where('kind', '=', 'meeting.minutes.nudge').where('state', '=', 'sent').executeTakeFirstOrThrow()).message_channel!;
    expect(dm).toMatch(/^D/);
    const r = await h.click(button.action_id, button.value, { channel: dm });
    const view = h.openedView(r.triggerId);
    expect(JSON.parse(view.private_metadata).channel).toBe('C0GROUP');
    await h.submit(view, { notes: 'Late, but recorded.' });
    await until(async () => (await minutesRows()).length === 1 || undefined);

    // The 15th's minutes are recorded in time: no note on the 17th. Runs of the hourly planner never plan one twice.
    await deliverUntil(sh('2026-12-15T11:00'));
    const form = await h.command('/meeting minutes 1');
    await h.submit(h.openedView(form.triggerId), { notes: 'On time.' });
    await h.workers!.schedules.runOnce();
    await deliverUntil(sh('2026-12-17T11:00'));
    expect(postsOf('meeting.minutes.nudge')).toHaveLength(1);
    const nudgeRows = await h.db.selectFrom('outbox').select(['dedupe_key', 'state']).where('kind', '=', 'meeting.minutes.nudge').where('fire_at', '<=', clock.now()).orderBy('fire_at').execute();
    expect(nudgeRows.map((x) => x.state)).toEqual(['sent', 'cancelled']);
  });
});
