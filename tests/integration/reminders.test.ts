import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox, GIVE_UP_AFTER_MS } from '../../jobs/deliver-outbox.js';
import type { WorkerDeps } from '../../jobs/index.js';
import { ManualClock } from '../../src/domain/clock.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { reminderRow } from '../../src/features/items/reminder-rows.js';
import { insertOutbox } from '../../src/platform/outbox/outbox.repo.js';
import { findSchedule } from '../../src/platform/schedules/schedules.repo.js';
import { overdueReminders, overdueScheduleKey } from '../../src/features/items/overdue-schedule.js';
import { Harness, TEAM } from '../helpers/harness.js';
import { advanceAndDeliver, advanceTo, firstOutcomeOf, isOwnershipCall, outcomeOf, ownershipPosts, reminderIdOf, reminderPosts, remindersOf, sentOf, sh } from '../helpers/reminders.js';

const START = sh('2026-12-01T10:00:00'); // a Tuesday, in the group's zone (Asia/Shanghai)
const clock = new ManualClock(START);
let h: Harness;
beforeAll(async () => {
  // A short channel interval keeps the tests quick. The fake enforces a shorter one with 429s,
  // as Slack does: whatever the timing, no post to a channel lands closer than that.
  h = await Harness.start({ clock, workers: true, env: { SLACK_CHANNEL_INTERVAL_MS: '300' }, fake: { postIntervalMs: 200 } });
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.reset();
  h.logs.lines.length = 0; // ids restart with each test: outcomes of the last one must not match
  clock.set(START);
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
});

async function addItem(args: string, who = {}): Promise<number> {
  const r = await h.command(`/action add GZ-2026-001 ${args}`, who);
  const id = /#(\d+)/.exec(r.text)?.[1];
  if (!id) throw new Error(`add failed: ${r.text}`);
  // The new owner's "you have a new item" message goes at once: let it, so that what a test
  // then counts, injects or paces is about reminders only.
  await h.settled();
  return Number(id);
}

const notOwnership = (c: { args: Record<string, any> }) => !isOwnershipCall(c);

const textsTo = (channel: string) => reminderPosts(h).filter((p) => p.args.channel === channel).map((p) => String(p.args.text));

describe('reminders at their time', () => {
  it('reminds the owner by direct message an hour before and at the due time, never earlier', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    expect(await advanceTo(h, clock, sh('2026-12-01T10:59:00'))).toEqual([]);
    const [before] = await advanceAndDeliver(h, clock, sh('2026-12-01T11:00:00'));
    expect(before).toMatchObject({ outcome: 'sent', late: false, kind: 'item.before' });
    const [atDue] = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(atDue).toMatchObject({ outcome: 'sent', kind: 'item.due' });
    const posts = reminderPosts(h);
    expect(posts.map((p) => p.args.channel)).toEqual(['U0CARLOS', 'U0CARLOS']);
    expect(posts[0]!.args.text).toContain('is due in 1 hour, at 2026-12-01 12:00 (Asia/Shanghai):');
    expect(posts[1]!.args.text).toContain('is due now');
    // The message offers the item's buttons.
    const actions = (posts[1]!.args.blocks as any[]).find((b) => b.type === 'actions');
    expect(actions.elements.map((e: any) => e.action_id)).toEqual([ITEM_ACTIONS.done, ITEM_ACTIONS.snooze1h, ITEM_ACTIONS.snooze1d, ITEM_ACTIONS.snooze1w, ITEM_ACTIONS.reassign]);
    const rows = await remindersOf(h, id);
    expect(rows.filter((r) => r.state === 'sent').map((r) => r.kind)).toEqual(['before', 'due']);
    expect(rows.find((r) => r.kind === 'due')).toMatchObject({ message_ts: posts[1]!.response.ts, late: false });
    // Nothing went to the group channel: it only hears of escalations.
    expect(textsTo('C0GROUP')).toHaveLength(0);
  });

  it('writes to each person in their own language', async () => {
    await addItem('核查银行流水 owner:<@U0BAO|bao> due:2026-12-01 12:00');
    await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(textsTo('U0BAO')[0]).toContain('现在到期');
  });

  it('sends nothing after the item is done, even when a stale job runs', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    const due = (await remindersOf(h, id)).find((r) => r.kind === 'due')!;
    await h.command(`/action done ${id}`);
    expect((await remindersOf(h, id)).map((r) => r.state)).toEqual(Array((await remindersOf(h, id)).length).fill('cancelled'));
    expect(await advanceTo(h, clock, sh('2026-12-05T12:00:00'))).toEqual([]);
    // A job that escaped removal (Redis was unreachable, say) re-reads the row and posts nothing.
    await h.workers!.scheduler.queue.add('outbox.deliver', { outboxId: due.id, channel: due.channel }, { jobId: `stale${due.id}` });
    await h.logs.waitFor((l) => l.msg === 'outbox row skipped' && l.outbox === due.id);
    expect(reminderPosts(h)).toHaveLength(0);
  });

  it('moves the reminders when the due time is rescheduled', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    const r = await h.command(`/action due ${id} 2026-12-01 15:00`);
    expect(r.text).toContain('2026-12-01 15:00 (Asia/Shanghai)');
    expect(await advanceTo(h, clock, sh('2026-12-01T12:00:00'))).toEqual([]);
    const sent = await advanceAndDeliver(h, clock, sh('2026-12-01T15:00:00'));
    expect(sent.map((s) => s.kind)).toEqual(['item.before', 'item.due']);
    expect(textsTo('U0CARLOS').at(-1)).toContain('is due now, at 2026-12-01 15:00');
    const rows = await remindersOf(h, id);
    expect(rows.filter((x) => x.state === 'cancelled').map((x) => x.fire_at.toISOString())).toContain(sh('2026-12-01T12:00:00').toISOString());
  });

  it('fires on its own from a BullMQ delay at the due time', async () => {
    // No promotion here: the clock stands still, the job waits out its real delay.
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    clock.set(sh('2026-12-01T11:00:58.500'));
    await h.command(`/action due ${id} 2026-12-01 12:01`); // re-planned against the new "now": the 1 h reminder is 1.5 s away
    const before = (await remindersOf(h, id)).find((r) => r.kind === 'before' && r.state === 'pending')!;
    const planned = Date.now() + 1500;
    clock.set(sh('2026-12-01T11:01:00'));
    const out = await outcomeOf(h, before.id);
    expect(out.outcome).toBe('sent');
    expect(reminderPosts(h)[0]!.at).toBeGreaterThanOrEqual(planned - 100);
  });
});

describe('snooze', () => {
  it('the Snooze 1 hour button pauses the owner’s reminders and they resume an hour later', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    const click = await h.click(ITEM_ACTIONS.snooze1h, String(id), { user: 'U0CARLOS', channel: 'DCARLOS' });
    expect(click.text).toContain('paused until 2026-12-01 13:00');
    expect(click.reply?.args.replace_original).toBe(true);
    const pending = (await remindersOf(h, id)).filter((r) => r.state === 'pending');
    expect(pending[0]).toMatchObject({ kind: 'snoozed', fire_at: sh('2026-12-01T13:00:00') });
    expect(await advanceTo(h, clock, sh('2026-12-01T12:59:00'))).toEqual([]);
    const [over] = await advanceAndDeliver(h, clock, sh('2026-12-01T13:00:00'));
    expect(over).toMatchObject({ outcome: 'sent', kind: 'item.snoozed' });
    expect(textsTo('U0CARLOS').at(-1)).toContain('Snooze over');
    const history = await h.command('/case history GZ-2026-001');
    expect(JSON.stringify(history.reply?.args)).toContain(`snoozed #${id} until 2026-12-01 13:00`);
  });
});

describe('overdue and escalation', () => {
  it('reminds daily while overdue, then escalates in the group channel to the supervisor and coordinators', async () => {
    await h.command('/case supervise GZ-2026-001 <@U0ERIN|erin>');
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    // Daily at 09:00 (the default) from the next day, to the owner only.
    for (const day of ['02', '03', '04']) {
      const [daily] = await advanceAndDeliver(h, clock, sh(`2026-12-${day}T09:00:00`));
      expect(daily).toMatchObject({ outcome: 'sent', kind: 'item.overdue' });
    }
    expect(textsTo('C0GROUP')).toHaveLength(0);
    expect(textsTo('U0CARLOS').at(-1)).toContain('is overdue by 2 days 21 hours, due 2026-12-01 12:00 (Asia/Shanghai):');
    // Three days overdue (the default): escalation, once, in the channel.
    const [esc] = await advanceAndDeliver(h, clock, sh('2026-12-04T12:00:00'));
    expect(esc).toMatchObject({ outcome: 'sent', kind: 'item.escalation' });
    const channel = textsTo('C0GROUP');
    expect(channel).toHaveLength(1);
    expect(channel[0]).toContain('Escalation');
    expect(channel[0]).toContain('<@U0ERIN>');
    expect(channel[0]).toContain('<@U0ALICE>'); // the coordinator
    // No parentheses inside parentheses: the due time carries its zone in its own.
    expect(channel[0]).toMatch(/is overdue by 3 days[^;]*; owner <@U0CARLOS>, due 2026-12-01 12:00 \(Asia\/Shanghai\)\./);
    const history = await h.command('/case history GZ-2026-001');
    expect(JSON.stringify(history.reply?.args)).toContain(`docket escalated #${id}`);
    // The daily reminder goes on; the escalation does not repeat.
    const [next] = await advanceAndDeliver(h, clock, sh('2026-12-05T09:00:00'));
    expect(next?.kind).toBe('item.overdue');
    expect(textsTo('C0GROUP')).toHaveLength(1);
  });

  it('sends reminders of a unit’s item to its contact, or else to each of its members', async () => {
    await h.command('/action settings before:none');
    await addItem('Freeze accounts unit:Police due:2026-12-01 12:00');
    await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(reminderPosts(h).map((p) => p.args.channel).sort()).toEqual(['U0BAO', 'U0CARLOS']);
    await h.command('/docket units contact Police <@U0BAO|bao>');
    await addItem('Check exit records unit:Police due:2026-12-01 14:00');
    const sent = await advanceAndDeliver(h, clock, sh('2026-12-01T14:00:00'));
    expect(sent.map((s) => s.outcome)).toEqual(['sent']);
    expect(reminderPosts(h).slice(2).map((p) => p.args.channel)).toEqual(['U0BAO']);
  });
});

describe('who hears a reminder, and when one is given up', () => {
  /** Where an item's pending reminders go, each place once. */
  const pendingTo = async (id: number) => [...new Set((await remindersOf(h, id)).filter((r) => r.state === 'pending').map((r) => r.channel))].sort();
  const removeMember = async (mention: string) => {
    const ask = await h.command(`/docket members remove ${mention}`);
    const confirm = ask.reply!.args.blocks[1].elements[0];
    await h.click(confirm.action_id, confirm.value);
  };

  it('tells nobody outside the group: a removed owner’s reminders go, while escalation still reaches the channel', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    expect(await pendingTo(id)).toEqual(['C0GROUP', 'U0CARLOS']);
    await removeMember('<@U0CARLOS|carlos>');
    expect(await pendingTo(id)).toEqual(['C0GROUP']);
    await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(textsTo('U0CARLOS')).toEqual([]);
    // Added back, they hear of their item again: the daily overdue reminder names them.
    expect((await overdueReminders(h.db, 1, 'Asia/Shanghai', sh('2026-12-02T09:00:00'))).map((x) => x.channel)).toEqual([]);
    await h.command('/docket members add <@U0CARLOS|carlos>');
    expect((await overdueReminders(h.db, 1, 'Asia/Shanghai', sh('2026-12-02T09:00:00'))).map((x) => x.channel)).toEqual(['U0CARLOS']);
  });

  it('moves a unit’s reminders to the contact it names, even one outside the unit', async () => {
    await h.command('/action settings before:none');
    const id = await addItem('Freeze accounts unit:Police due:2026-12-01 12:00');
    expect(await pendingTo(id)).toEqual(['C0GROUP', 'U0BAO', 'U0CARLOS']);
    await h.command('/docket units contact Police <@U0ALICE|alice>');
    expect(await pendingTo(id)).toEqual(['C0GROUP', 'U0ALICE']);
    const sent = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(sent.map((o) => o.outcome)).toEqual(['sent']);
    expect(reminderPosts(h).map((p) => p.args.channel)).toEqual(['U0ALICE']);
  });

  it('when a unit’s contact leaves the group, its members hear its items, and /docket units says so', async () => {
    await h.command('/action settings before:none');
    await h.command('/docket members add <@U0ERIN|erin>');
    await h.command('/docket units contact Police <@U0ERIN|erin>');
    const id = await addItem('Freeze accounts unit:Police due:2026-12-01 12:00');
    expect(await pendingTo(id)).toEqual(['C0GROUP', 'U0ERIN']);
    await removeMember('<@U0ERIN|erin>');
    expect(await pendingTo(id)).toEqual(['C0GROUP', 'U0BAO', 'U0CARLOS']);
    const sent = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(sent.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(reminderPosts(h).map((p) => p.args.channel).sort()).toEqual(['U0BAO', 'U0CARLOS']);
    expect((await h.command('/docket units')).text).toContain('• Police (contact <@U0ERIN> has left the group: the unit’s members hear its reminders)');
  });

  it('checks at delivery that the person is still the one to hear it, whatever was planned', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    // A row planned for someone who is not the item's recipient (say, by an older version).
    const [stray] = await insertOutbox(h.db, [reminderRow({ id, team_id: TEAM, group_id: 1 }, 'due', sh('2026-12-01T11:30:00'), 'U0DANA')]);
    await h.workers!.scheduler.schedule([stray!]);
    const outcomes = await advanceAndDeliver(h, clock, sh('2026-12-01T11:30:00'));
    expect(outcomes.find((o) => o.outbox === stray!.id)).toMatchObject({ outcome: 'stale' });
    expect(textsTo('U0DANA')).toEqual([]);
  });

  it('after days of downtime, sends one late daily reminder and plans the next for a day that has not passed', async () => {
    await h.command('/action settings before:none atdue:off');
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    // The 2 December 09:00 reminder goes out only on the 5th at 10:00: the bot was down.
    const [late] = await advanceAndDeliver(h, clock, sh('2026-12-05T10:00:00'));
    expect(late).toMatchObject({ outcome: 'sent', kind: 'item.overdue', late: true });
    // The group's schedule ran once for the missed days, and is next due on a day still ahead.
    expect(await findSchedule(h.db, overdueScheduleKey(1))).toMatchObject({ last_occurrence: sh('2026-12-02T09:00:00'), next_run_at: sh('2026-12-06T09:00:00') });
    expect((await remindersOf(h, id)).filter((r) => r.kind === 'overdue')).toHaveLength(1);
    // Not one message for each missed day (3, 4 and 5 December), sent in a burst.
    expect(textsTo('U0CARLOS')).toHaveLength(1);
  });

  it('gives up on Slack failing only for good reasons, or a day late; a passing failure waits for the reconciler', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    const [first, second] = (await remindersOf(h, id)).filter((r) => r.state === 'pending');
    const deps = { db: h.db, clock } as unknown as WorkerDeps;
    const stateOf = async (rid: number) => (await h.db.selectFrom('outbox').select('state').where('id', '=', rid).executeTakeFirstOrThrow()).state;

    clock.set(sh('2026-12-01T12:30:00'));
    await deliverOutbox.onGiveUp!({ outboxId: first!.id, channel: first!.channel }, 'internal_error', deps);
    expect(await stateOf(first!.id)).toBe('pending');
    await deliverOutbox.onGiveUp!({ outboxId: second!.id, channel: second!.channel }, 'channel_not_found', deps);
    expect(await stateOf(second!.id)).toBe('failed');

    clock.set(new Date(first!.fire_at.getTime() + GIVE_UP_AFTER_MS + 60_000));
    await deliverOutbox.onGiveUp!({ outboxId: first!.id, channel: first!.channel }, 'internal_error', deps);
    expect(await stateOf(first!.id)).toBe('failed');
  });
});

describe('pacing', () => {
  it('spaces posts to one channel by the channel interval, while another channel goes at once', async () => {
    await h.command('/action settings before:none');
    await addItem('First owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await addItem('Second owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await addItem('Third owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await addItem('Other owner:<@U0BAO|bao> due:2026-12-01 12:00');
    const ids = await advanceTo(h, clock, sh('2026-12-01T12:00:00'));
    await Promise.all(ids.map((id) => sentOf(h, id)));
    const carlos = reminderPosts(h).filter((p) => p.args.channel === 'U0CARLOS').map((p) => p.at);
    expect(carlos).toHaveLength(3);
    // Paced 300 ms apart by the workers (the pacer's own test checks the spacing exactly); the
    // fake accepts nothing closer than 200 ms, so these three went through one after another.
    expect(carlos[1]! - carlos[0]!).toBeGreaterThanOrEqual(200);
    expect(carlos[2]! - carlos[1]!).toBeGreaterThanOrEqual(200);
    const bao = reminderPosts(h).find((p) => p.args.channel === 'U0BAO')!;
    expect(bao.at).toBeLessThan(carlos[2]!);
  });
});

describe('delivery failures', () => {
  it('honours 429 Retry-After for that channel only; other channels are not held up', async () => {
    await h.command('/action settings before:none');
    const slow = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    const fast = await addItem('Check exit records owner:<@U0BAO|bao> due:2026-12-01 12:00');
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0CARLOS', status: 429, retryAfter: 2 });
    const ids = await advanceTo(h, clock, sh('2026-12-01T12:00:00'));
    await Promise.all(ids.map((id) => sentOf(h, id)));
    const calls = h.fake.callsTo('chat.postMessage').filter(notOwnership);
    const limited = calls.find((c) => c.error === 'ratelimited')!;
    const retried = calls.find((c) => c.ok && c.args.channel === 'U0CARLOS')!;
    const other = calls.find((c) => c.ok && c.args.channel === 'U0BAO')!;
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(2000);
    expect(other.at).toBeLessThan(retried.at);
    expect(reminderPosts(h).map(reminderIdOf).sort()).toEqual(ids.sort());
    expect((await remindersOf(h, slow)).find((r) => r.kind === 'due')?.state).toBe('sent');
    expect((await remindersOf(h, fast)).find((r) => r.kind === 'due')?.state).toBe('sent');
  });

  it('records a permanent error (channel_not_found) on the reminder and in the timeline, and does not retry', async () => {
    await h.command('/action settings before:none');
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0CARLOS', error: 'channel_not_found' });
    const [out] = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(out).toMatchObject({ outcome: 'permanent', code: 'channel_not_found' });
    await h.logs.waitFor((l) => l.msg === 'job failed' && l.gaveUp === true);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0CARLOS' && notOwnership(c))).toHaveLength(1);
    expect((await remindersOf(h, id)).find((r) => r.kind === 'due')).toMatchObject({ state: 'failed', error: 'channel_not_found' });
    const history = await h.command('/case history GZ-2026-001');
    expect(JSON.stringify(history.reply?.args)).toContain('could not remind <@U0CARLOS>');
  });

  it('retries a passing Slack error with back-off and posts once', async () => {
    await h.command('/action settings before:none');
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    h.fake.inject({ method: 'chat.postMessage', channel: 'U0CARLOS', error: 'internal_error' });
    const [due] = await advanceTo(h, clock, sh('2026-12-01T12:00:00'));
    expect(await firstOutcomeOf(h, due!)).toMatchObject({ outcome: 'refused', code: 'internal_error' });
    await sentOf(h, due!);
    expect(reminderPosts(h).map(reminderIdOf)).toEqual([due]);
    expect((await remindersOf(h, id)).find((r) => r.id === due)?.state).toBe('sent');
  });

  it('marks a reminder sent long after its time as late, and says so in the message', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    // The bot was down from 11:30 to 14:00: both the 1 h reminder and the due one fell due meanwhile.
    clock.set(sh('2026-12-01T14:00:00'));
    const ids = await advanceTo(h, clock, sh('2026-12-01T14:00:00'));
    const outs = await Promise.all(ids.map((r) => outcomeOf(h, r)));
    expect(outs.map((o) => o.late)).toEqual([true, true]);
    expect(textsTo('U0CARLOS').every((t) => t.includes('overdue by 2 hours'))).toBe(true);
    const notes = reminderPosts(h).map((p) => JSON.stringify(p.args.blocks));
    expect(notes.some((n) => n.includes('Sent late: this reminder was due at 2026-12-01 11:00'))).toBe(true);
    expect(notes.some((n) => n.includes('Sent late: this reminder was due at 2026-12-01 12:00'))).toBe(true);
    expect((await remindersOf(h, id)).filter((r) => r.state === 'sent').every((r) => r.late)).toBe(true);
  });
});

describe('when an item changes hands', () => {
  const kindOf = (c: { args: Record<string, any> }) => String(c.args.metadata.event_payload.kind);

  it('tells the new owner by direct message (item, case, due date, buttons), and on a reassign the previous one too', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    await h.settled();
    const [given] = ownershipPosts(h);
    expect(given!.args.channel).toBe('U0CARLOS');
    expect(given!.args.text).toBe(`<@U0ALICE> gave you #${id} on *GZ-2026-001*: Verify bank records\nDue *2026-12-04 17:00 (Asia/Shanghai)*.`);
    expect(given!.args.blocks.at(-1).elements.map((e: { action_id: string }) => e.action_id)).toContain(ITEM_ACTIONS.done);
    await h.command(`/action reassign ${id} <@U0BAO|bao>`);
    await h.settled();
    const [, ...after] = ownershipPosts(h);
    expect(after.map((c) => [kindOf(c), c.args.channel])).toEqual(
      expect.arrayContaining([
        ['item.assigned', 'U0BAO'],
        ['item.released', 'U0CARLOS'],
      ]),
    );
    expect(after).toHaveLength(2);
    expect(after.find((c) => c.args.channel === 'U0CARLOS')!.args.text).toBe(`<@U0ALICE> gave #${id} on *GZ-2026-001* (Verify bank records) to <@U0BAO>: it is no longer yours.`);
  });

  it('says nothing to whoever gave the item to themselves, and once per change however often the request is retried', async () => {
    await addItem('Verify bank records due:2026-12-04 17:00'); // Alice's own
    const r = await h.command('/action add GZ-2026-001 Ask Customs owner:<@U0BAO|bao> due:2026-12-04 17:00');
    await h.command('/action add GZ-2026-001 Ask Customs owner:<@U0BAO|bao> due:2026-12-04 17:00', { triggerId: r.triggerId, retryNum: 1 });
    await h.settled();
    expect(ownershipPosts(h).map((c) => c.args.channel)).toEqual(['U0BAO']);
  });
});
