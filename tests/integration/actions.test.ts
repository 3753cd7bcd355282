import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { jobIdOf, type BullOutboxScheduler } from '../../src/platform/outbox/queue.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { Harness } from '../helpers/harness.js';
import { checkView } from '../../src/slack/fake/block-kit.js';
import { overdueReminders, overdueScheduleKey } from '../../src/features/items/overdue-schedule.js';
import { findSchedule } from '../../src/platform/schedules/schedules.repo.js';
import { remindersOf, sh } from '../helpers/reminders.js';

const START = sh('2026-12-01T10:00:00'); // Tuesday 1 December 2026, 10:00 in Asia/Shanghai
const clock = new ManualClock(START);
let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ clock });
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.reset();
  clock.set(START);
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
});

const idIn = (text: string) => Number(/#(\d+)/.exec(text)?.[1]);
const queue = () => h.docket.deps.outbox as BullOutboxScheduler;

/** The add-item form, opened from the case card's button. */
async function addForm(ref = 'GZ-2026-001') {
  const r = await h.click(ITEM_ACTIONS.add, ref);
  return h.openedView(r.triggerId);
}
const lastEphemeral = () => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral').at(-1)?.args.text as string | undefined;
const items = () => h.db.selectFrom('action_items').selectAll().orderBy('id').execute();

describe('one set of rules for the command and the form', () => {
  it('both take a due time already past, with the same answer: the card, led by “already overdue”', async () => {
    const byCommand = await h.command('/action add GZ-2026-001 Backlog from 2019 due:2026-11-27 17:00');
    const res = await h.submit(await addForm(), { text: 'Backlog from 2019', due: '2026-11-27 17:00', owner: null, unit: null });
    expect(res.status).toBe(200);
    expect(res.body).toBeNull(); // accepted: the form closes
    const [first, second] = await items();
    expect(second!.due_at).toEqual(first!.due_at);
    expect(byCommand.text).toBe(`Added #${first!.id} to *GZ-2026-001*, due *2026-11-27 17:00 (Asia/Shanghai)*. It is already overdue.`);
    expect(lastEphemeral()).toBe(byCommand.text.replace(`#${first!.id}`, `#${second!.id}`));
  });

  it('refuse an item on a closed case: the command, the card’s button (a card posted before the close) and an open form', async () => {
    const form = await addForm();
    const ask = await h.command('/case close GZ-2026-001 returned');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    expect((await h.command('/action add GZ-2026-001 Verify due:tomorrow')).text).toBe('*GZ-2026-001* is closed: reopen the case before adding or reopening its action items.');
    expect((await h.click(ITEM_ACTIONS.add, 'GZ-2026-001')).text).toBe('*GZ-2026-001* is closed: reopen the case before adding or reopening its action items.');
    const res = await h.submit(form, { text: 'Verify', due: 'tomorrow', owner: null, unit: null });
    expect(res.body).toEqual({ response_action: 'errors', errors: { text: '*GZ-2026-001* is closed: reopen the case before adding or reopening its action items.' } });
    expect(await items()).toEqual([]);
  });

  it('refuse an owner from outside the group on the form itself, as the command does', async () => {
    const res = await h.submit(await addForm(), { text: 'Verify', due: 'tomorrow', owner: 'U0ERIN', unit: null });
    expect(res.body).toMatchObject({ response_action: 'errors', errors: { owner: expect.stringContaining('is not a member of this group') } });
    expect(await items()).toEqual([]);
  });
});

describe('/action add', () => {
  it('reads a natural-language due time in the group’s zone and echoes it with the zone', async () => {
    const r = await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:next Friday 17:00');
    expect(r.text).toContain('due *2026-12-11 17:00 (Asia/Shanghai)*');
    const item = await h.db.selectFrom('action_items').selectAll().executeTakeFirstOrThrow();
    expect(item).toMatchObject({ text: 'Verify bank records', owner_user_id: 'U0BAO', state: 'open', due_at: sh('2026-12-11T17:00:00') });
  });

  it.each([
    ['下周五17:00', '2026-12-11T17:00:00'],
    ['明天上午9点', '2026-12-02T09:00:00'],
    ['in 3 days', '2026-12-04T17:00:00'],
    ['2026-12-05', '2026-12-05T17:00:00'],
    ['friday 9am', '2026-12-04T09:00:00'],
  ])('reads “%s” (a date alone means 17:00)', async (when, wall) => {
    const r = await h.command(`/action add GZ-2026-001 Check exit records due:${when}`);
    expect(r.text).toContain(`${wall.slice(0, 10)} ${wall.slice(11, 16)} (Asia/Shanghai)`);
    const item = await h.db.selectFrom('action_items').selectAll().executeTakeFirstOrThrow();
    expect(item.due_at).toEqual(sh(wall));
    expect(item.owner_user_id).toBe('U0ALICE'); // no owner: whoever added it
  });

  it('plans the default reminders and schedules each as a delayed job', async () => {
    const r = await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const rows = await remindersOf(h, idIn(r.text));
    expect(rows.map((x) => [x.kind, x.channel, x.fire_at.toISOString()])).toEqual([
      ['before', 'U0BAO', sh('2026-12-03T17:00:00').toISOString()],
      ['before', 'U0BAO', sh('2026-12-04T16:00:00').toISOString()],
      ['due', 'U0BAO', sh('2026-12-04T17:00:00').toISOString()],
      ['escalation', 'C0GROUP', sh('2026-12-07T17:00:00').toISOString()],
    ]);
    // The daily reminder while overdue is the group's: every day at 09:00 in its zone.
    expect(await findSchedule(h.db, overdueScheduleKey(1))).toMatchObject({ rule: 'FREQ=DAILY', start_local: '2026-01-01T09:00', time_zone: 'Asia/Shanghai', next_run_at: sh('2026-12-02T09:00:00') });
    for (const row of rows) {
      const job = await queue().queue.getJob(jobIdOf(row.id));
      expect(await job?.getState()).toBe('delayed');
      expect(job!.data).toEqual({ outboxId: row.id, channel: row.channel }); // ids only
      expect(job!.opts.delay).toBe(row.fire_at.getTime() - START.getTime());
    }
  });

  it('takes a due date already past, says it is overdue, escalates it now (once), and plans no reminder in the past', async () => {
    const r = await h.command('/action add GZ-2026-001 Backlog: confirm the 2019 freeze owner:<@U0BAO|bao> due:2026-11-27 17:00');
    expect(r.text).toContain('due *2026-11-27 17:00 (Asia/Shanghai)*. It is already overdue.');
    const rows = await remindersOf(h, idIn(r.text));
    // Four days late already, past its escalation point (3 days): it escalates now; no owner
    // reminder of its own (those moments passed); the group's daily overdue reminder
    // (tomorrow 09:00) will name it.
    expect(rows.map((x) => [x.kind, x.channel, x.fire_at.toISOString(), x.state])).toEqual([['escalation', 'C0GROUP', START.toISOString(), 'pending']]);
    // Planned again (the settings change): still that one escalation, not a second.
    clock.set(new Date(START.getTime() + 60_000));
    await h.command('/action settings before:2h');
    expect((await remindersOf(h, idIn(r.text))).filter((x) => x.state !== 'cancelled').map((x) => x.id)).toEqual([rows[0]!.id]);
    expect((await overdueReminders(h.db, 1, 'Asia/Shanghai', sh('2026-12-02T09:00:00'))).map((x) => [x.kind, x.subject_id, x.channel])).toEqual([['item.overdue', idIn(r.text), 'U0BAO']]);
    // Moving a due date still has to go forward.
    expect((await h.command(`/action due ${idIn(r.text)} 2026-11-28 17:00`)).text).toContain('has already passed');
  });

  it('writes the new item into the case timeline', async () => {
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const history = await h.command('/case history GZ-2026-001');
    expect(JSON.stringify(history.reply?.args)).toContain('added action item #1: Verify bank records');
  });

  it('adds once when Slack retries the same command', async () => {
    const first = await h.command('/action add GZ-2026-001 Verify bank records due:2026-12-04 17:00');
    await h.command('/action add GZ-2026-001 Verify bank records due:2026-12-04 17:00', { triggerId: first.triggerId, retryNum: 1 });
    const n = await h.db.selectFrom('action_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it.each([
    ['GZ-2026-001 Verify bank records', 'Missing due:WHEN'],
    ['GZ-2026-001 due:tomorrow', 'Missing TEXT'],
    ['GZ-2026-001 Verify due:someday maybe', 'could not read “someday maybe”'],
    ['GZ-2026-001 Verify owner:bao due:tomorrow', '“bao” is not a Slack user'],
    ['GZ-2026-001 Verify unit:Customs due:tomorrow', 'There is no unit called “Customs”'],
    ['GZ-2026-001 Verify owner:<@U0ERIN|erin> due:tomorrow', 'is not a member of this group'],
    ['GZ-2026-099 Verify due:tomorrow', 'There is no case GZ-2026-099'],
  ])('refuses “%s” with a short reply', async (args, message) => {
    const r = await h.command(`/action add ${args}`);
    expect(r.text).toContain(message);
    expect(r.reply?.args.response_type).toBe('ephemeral');
    expect(await h.db.selectFrom('action_items').select('id').execute()).toHaveLength(0);
  });

  it('shows the usage line under input errors', async () => {
    const r = await h.command('/action add GZ-2026-001 Verify');
    expect(r.text).toContain('Usage: /action add REF TEXT [owner:@user|unit:NAME] due:WHEN');
  });

  it('lets observers read but not add', async () => {
    const r = await h.command('/action add GZ-2026-001 Verify due:tomorrow', { user: 'U0DANA' });
    expect(r.text).toContain('Observers can read');
  });
});

describe('/action list, show, done, reopen, cancel, reassign', () => {
  beforeEach(async () => {
    await h.command('/case open Zhong, misappropriated funds');
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-01 12:00');
    await h.command('/action add GZ-2026-001 Freeze accounts unit:Police due:2026-12-03 17:00');
    await h.command('/action add GZ-2026-002 Interview witness owner:<@U0CARLOS|carlos> due:2026-12-10 17:00');
    clock.set(sh('2026-12-02T10:00:00'));
  });

  it('lists open items soonest first, flags the overdue, and filters', async () => {
    const all = await h.command('/action list');
    const text = JSON.stringify(all.reply?.args.blocks);
    expect(text.indexOf('#1')).toBeLessThan(text.indexOf('#2'));
    expect(text).toContain(':warning: *#1*');
    expect(text).toContain('overdue by 22 hours');
    expect(JSON.stringify((await h.command('/action list overdue')).reply?.args.blocks)).not.toContain('#2');
    expect(JSON.stringify((await h.command('/action list GZ-2026-002')).reply?.args.blocks)).not.toContain('#1');
    const mine = JSON.stringify((await h.command('/action list mine', { user: 'U0CARLOS' })).reply?.args.blocks);
    expect(mine).toContain('#2'); // through his unit, Police
    expect(mine).toContain('#3');
    expect(mine).not.toContain('#1');
    expect(JSON.stringify((await h.command('/action list unit:police')).reply?.args.blocks)).toContain('unit Police');
  });

  it('shows an item card with its buttons', async () => {
    const r = await h.command('/action show #2');
    const blocks = r.reply?.args.blocks as any[];
    expect(JSON.stringify(blocks)).toContain('unit Police');
    expect(blocks.find((b) => b.type === 'actions').elements.map((e: any) => e.action_id)).toContain(ITEM_ACTIONS.done);
  });

  it('marks done, cancels its reminders and their jobs, and records it; reopening plans them again', async () => {
    const before = await remindersOf(h, 2);
    const r = await h.command('/action done 2', { user: 'U0CARLOS' }); // a member of the owning unit
    expect(r.text).toMatch(/^:white_check_mark: #2 .+ — done by <@U0CARLOS>$/);
    expect((await remindersOf(h, 2)).every((x) => x.state === 'cancelled')).toBe(true);
    for (const row of before) expect(await queue().queue.getJob(jobIdOf(row.id))).toBeUndefined();
    expect((await h.command('/action done 2')).text).toContain('#2 is already done');
    const reopened = await h.command('/action reopen 2');
    expect(reopened.text).toContain('#2 is open again');
    // A unit without a contact: each member (Bao and Carlos) gets the owner reminders.
    const pending = (await remindersOf(h, 2)).filter((x) => x.state === 'pending');
    expect(pending.map((x) => x.kind)).toEqual(['before', 'before', 'before', 'before', 'due', 'due', 'escalation']);
    const history = JSON.stringify((await h.command('/case history GZ-2026-001')).reply?.args);
    expect(history).toContain('<@U0CARLOS> marked #2 done');
    expect(history).toContain('reopened #2');
  });

  it('cancels an item and stops its reminders', async () => {
    expect((await h.command('/action cancel 3')).text).toContain('#3 is cancelled');
    expect((await remindersOf(h, 3)).every((x) => x.state === 'cancelled')).toBe(true);
    expect(JSON.stringify((await h.command('/action list')).reply?.args.blocks)).not.toContain('#3');
  });

  it('reassigns to a unit: reminders go to its members', async () => {
    await h.command('/action reassign 1 unit:Police');
    // Already overdue: tomorrow's daily reminder goes to each member of the unit.
    const daily = await overdueReminders(h.db, 1, 'Asia/Shanghai', sh('2026-12-03T09:00:00'));
    expect(daily.filter((x) => x.subject_id === 1).map((x) => x.channel).sort()).toEqual(['U0BAO', 'U0CARLOS']);
    expect(JSON.stringify((await h.command('/case history GZ-2026-001')).reply?.args)).toContain('gave #1 to unit #1');
  });

  it('lets the owner work their item; observers only read', async () => {
    expect((await h.command('/action done 1', { user: 'U0DANA' })).text).toContain('Observers can read');
    // Bao reads Chinese: replies follow the reader's Slack locale.
    expect((await h.command('/action snooze 1 1d', { user: 'U0BAO' })).text).toContain('提醒暂停至 2026-12-03 10:00');
  });

  it('answers an unknown number or a bad one with the usage line', async () => {
    expect((await h.command('/action done 99')).text).toContain('This group has no action item #99');
    const bad = await h.command('/action done x1');
    expect(bad.text).toContain('“x1” is not an action item number');
    expect(bad.text).toContain('Usage: /action done N');
  });
});

describe('buttons and forms', () => {
  it('the case card’s “Add action item” form adds an item for a unit', async () => {
    const click = await h.click(ITEM_ACTIONS.add, 'GZ-2026-001');
    const view = h.openedView(click.triggerId);
    const unit = view.blocks.find((b: any) => b.block_id === 'unit').element.options.find((o: any) => o.text.text === 'Police').value;
    const bad = await h.submit(view, { text: 'Freeze accounts', owner: 'U0BAO', unit, due: 'tomorrow 9am' });
    expect(bad.body?.errors?.unit).toContain('not both');
    const ok = await h.submit(view, { text: 'Freeze accounts', owner: null, unit, due: 'tomorrow 9am' });
    expect(ok.status).toBe(200);
    const item = await h.db.selectFrom('action_items').selectAll().executeTakeFirstOrThrow();
    expect(item).toMatchObject({ text: 'Freeze accounts', owner_unit_id: Number(unit), due_at: sh('2026-12-02T09:00:00') });
  });

  it('every form names what it acts on: the case, or the item and its case', async () => {
    const named = (view: Record<string, any>) => view.blocks[0].type === 'context' && view.blocks[0].elements[0].text;
    expect(named(await addForm())).toBe('*GZ-2026-001* · Zhang, fled 2003');
    for (const button of ['case.note', 'case.status', 'case.close', 'case.edit']) {
      expect(named(h.openedView((await h.click(button, 'GZ-2026-001')).triggerId)), button).toBe('*GZ-2026-001* · Zhang, fled 2003');
    }
    await h.command('/action add GZ-2026-001 Verify <bank> records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const reassign = h.openedView((await h.click(ITEM_ACTIONS.reassign, '1', { user: 'U0BAO', channel: 'DBAO' })).triggerId);
    // Bao reads Chinese: the case in full-width brackets.
    expect(named(reassign)).toBe('*#1* · Verify &lt;bank&gt; records（*GZ-2026-001*）');
    expect(checkView(reassign)).toEqual([]);
  });

  it('Reassign on a reminder opens a form that changes the owner', async () => {
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const click = await h.click(ITEM_ACTIONS.reassign, '1', { user: 'U0BAO', channel: 'DBAO' });
    await h.submit(h.openedView(click.triggerId), { owner: 'U0CARLOS', unit: null }, { user: 'U0BAO' });
    const item = await h.db.selectFrom('action_items').selectAll().executeTakeFirstOrThrow();
    expect(item.owner_user_id).toBe('U0CARLOS');
    expect((await remindersOf(h, 1)).filter((x) => x.state === 'pending' && x.kind !== 'escalation').every((x) => x.channel === 'U0CARLOS')).toBe(true);
  });

  it('Done on a reminder replaces the message with what the item was and who did it', async () => {
    await h.command('/action add GZ-2026-001 Verify <bank> records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const r = await h.click(ITEM_ACTIONS.done, '1', { user: 'U0BAO', channel: 'DBAO' });
    expect(r.reply?.args.replace_original).toBe(true);
    expect(r.text).toBe(':white_check_mark: #1 Verify &lt;bank&gt; records：<@U0BAO> 已完成'); // Bao reads Chinese
  });

  it('a double-pressed Snooze (two trigger ids) snoozes once', async () => {
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const first = await h.click(ITEM_ACTIONS.snooze1d, '1', { user: 'U0BAO', channel: 'DBAO' });
    clock.set(new Date(START.getTime() + 2_000));
    const second = await h.click(ITEM_ACTIONS.snooze1d, '1', { user: 'U0BAO', channel: 'DBAO' });
    expect(second.text).toBe(first.text);
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'action.snoozed').execute()).toHaveLength(1);
    const snoozed = (await remindersOf(h, 1)).filter((x) => x.kind === 'snoozed' && x.state === 'pending');
    expect(snoozed).toHaveLength(1);
  });
});

describe('/action settings', () => {
  it('shows the defaults, and a coordinator’s change re-plans open items', async () => {
    expect((await h.command('/action settings')).text).toContain('Before due: 24h, 1h');
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const r = await h.command('/action settings before:2h atdue:off daily:off escalate:5');
    expect(r.text).toContain('1 open item re-planned');
    const pending = (await remindersOf(h, 1)).filter((x) => x.state === 'pending');
    expect(pending.map((x) => [x.kind, x.fire_at.toISOString()])).toEqual([
      ['before', sh('2026-12-04T15:00:00').toISOString()],
      ['escalation', sh('2026-12-09T17:00:00').toISOString()],
    ]);
  });

  it('refuses members and bad values', async () => {
    expect((await h.command('/action settings escalate:2', { user: 'U0CARLOS' })).text).toContain('Only the group’s coordinators');
    expect((await h.command('/action settings daily:25')).text).toContain('is not an hour of the day');
    expect((await h.command('/action settings before:soon')).text).toContain('is not a list of durations');
  });
});

describe('App Home', () => {
  it('shows the person’s overdue, due-today and upcoming items and their open cases, once per event', async () => {
    await h.command('/action add GZ-2026-001 Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await h.command('/action add GZ-2026-001 Freeze accounts unit:Police due:2026-12-02 17:00');
    await h.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0CARLOS|carlos> due:2026-12-09 17:00');
    await h.command('/action add GZ-2026-001 Not his owner:<@U0BAO|bao> due:2026-12-02 12:00');
    clock.set(sh('2026-12-02T10:00:00'));
    const event = { type: 'app_home_opened', user: 'U0CARLOS', channel: 'DCARLOS', tab: 'home', event_ts: '1' };
    await h.event(event, { eventId: 'Ev1' });
    await h.event(event, { eventId: 'Ev1', retryNum: 1 });
    const publishes = h.fake.callsTo('views.publish');
    expect(publishes).toHaveLength(1);
    const blocks = JSON.stringify(publishes[0]!.args.view.blocks);
    expect(blocks.indexOf('Overdue')).toBeLessThan(blocks.indexOf('#1'));
    expect(blocks.indexOf('Due today')).toBeLessThan(blocks.indexOf('#2'));
    expect(blocks.indexOf('Upcoming')).toBeLessThan(blocks.indexOf('#3'));
    expect(blocks).not.toContain('#4');
    expect(blocks).toContain('GZ-2026-001');
    expect(publishes[0]!.args.user_id).toBe('U0CARLOS');
  });

  it('pins only the cases the person supervises', async () => {
    await h.command('/case open Zhong, fled 1997');
    await h.command('/case supervise GZ-2026-001 <@U0CARLOS|carlos>');
    await h.command('/case supervise GZ-2026-002 <@U0BAO|bao>');
    await h.command('/action add GZ-2026-002 Call Lhasa police owner:<@U0CARLOS|carlos> due:2026-12-09 17:00');
    await h.event({ type: 'app_home_opened', user: 'U0CARLOS', channel: 'DCARLOS', tab: 'home', event_ts: '1' }, { eventId: 'Ev2' });
    const text = JSON.stringify(h.fake.callsTo('views.publish')[0]!.args.view.blocks);
    expect(text).toContain(':pushpin: *GZ-2026-001*');
    expect(text).toContain('*GZ-2026-002*');
    expect(text).not.toContain(':pushpin: *GZ-2026-002*');
  });
});

describe('items follow their case', () => {
  const itemStates = async () => (await h.db.selectFrom('action_items').select(['id', 'state']).orderBy('id').execute()).map((r) => [r.id, r.state]);
  const liveReminders = (id: number) => h.db.selectFrom('outbox').select('id').where('subject_type', '=', 'item').where('subject_id', '=', id).where('state', 'in', ['pending', 'claimed']).execute();

  async function caseWithItems(): Promise<number[]> {
    const ids = [];
    for (const text of ['Verify bank records', 'Ask Customs', 'Draft the request']) {
      ids.push(idIn((await h.command(`/action add GZ-2026-001 ${text} owner:<@U0BAO|bao> due:2026-12-04 17:00`)).text));
    }
    await h.command(`/action done ${ids[1]}`);
    return ids;
  }

  async function close(): Promise<{ asked: string; answer: string }> {
    const ask = await h.command('/case close GZ-2026-001 returned');
    const done = await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    return { asked: ask.text, answer: done.text };
  }

  it('closing says how many items are open, cancels them with the case, says why in the timeline, and stops their reminders', async () => {
    const [a, b, c] = await caseWithItems();
    const planned = (await h.db.selectFrom('outbox').select('id').where('subject_type', '=', 'item').where('subject_id', 'in', [a!, c!]).where('state', '=', 'pending').execute()).map((r) => r.id);
    expect(planned.length).toBeGreaterThan(0);
    const { asked, answer } = await close();
    expect(asked).toContain('Its 2 open action items will be cancelled with it.');
    expect(answer).toBe('Closed *GZ-2026-001* (returned). 2 open action items were cancelled with it.');
    expect(await itemStates()).toEqual([[a, 'cancelled'], [b, 'done'], [c, 'cancelled']]);
    expect(await liveReminders(a!)).toEqual([]);
    expect(await liveReminders(c!)).toEqual([]);
    // Their jobs are gone from Redis too (a job left behind would find its row cancelled anyway).
    for (const id of planned) expect(await queue().queue.getJob(jobIdOf(id))).toBeUndefined();
    const history = (await h.command('/case history GZ-2026-001')).reply!.args.blocks.map((x: any) => x.text?.text ?? '').join('\n');
    expect(history).toContain(`cancelled #${a} with the case`);
    expect(history).toContain(`cancelled #${c} with the case`);
    expect(history).toContain('closed it (returned) (2 open action items were cancelled with it.)');
  });

  it('20 adds racing the close of their case leave no open item on a closed case', async () => {
    const ask = await h.command('/case close GZ-2026-001 returned');
    const value = ask.reply!.args.blocks[1].elements[0].value as string;
    const adds = Array.from({ length: 20 }, (_, i) => h.command(`/action add GZ-2026-001 Task ${i} due:2026-12-04 17:00`));
    const [closed, ...answers] = await Promise.all([h.click('case.close.confirm', value), ...adds]);
    expect(closed.text).toMatch(/^Closed \*GZ-2026-001\* \(returned\)\./);
    // Each add either came first (and was cancelled with the case) or was refused: none is left open.
    const rows = await h.db.selectFrom('action_items').select(['id', 'state']).execute();
    expect(rows.filter((r) => r.state === 'open')).toEqual([]);
    const refused = answers.filter((a) => a.text.includes('is closed: reopen the case')).length;
    expect(rows.length + refused).toBe(20);
    expect(rows.every((r) => r.state === 'cancelled')).toBe(true);
  });

  it('a case with nothing open closes without a word about items', async () => {
    const { asked, answer } = await close();
    expect(asked).not.toContain('action item');
    expect(answer).toBe('Closed *GZ-2026-001* (returned).');
  });

  it('reopening says the cancelled items stay cancelled and how to restore one; restoring plans its reminders again', async () => {
    const [a, , c] = await caseWithItems();
    await close();
    // No live items on a closed case: an item of it cannot be reopened either.
    expect((await h.command(`/action reopen ${a}`)).text).toBe('*GZ-2026-001* is closed: reopen the case before adding or reopening its action items.');
    const reopened = await h.command('/case reopen GZ-2026-001 appeal');
    expect(reopened.text).toBe(`Reopened *GZ-2026-001*. The action items cancelled when it closed stay cancelled (#${a}, #${c}): restore one with \`/action reopen N\`.`);
    expect((await itemStates()).find(([id]) => id === c)![1]).toBe('cancelled');
    await h.command(`/action reopen ${c}`);
    expect((await liveReminders(c!)).length).toBeGreaterThan(0);
  });
});
