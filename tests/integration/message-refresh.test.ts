import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { refreshJobIdOf } from '../../src/platform/outbox/queue.js';
import type { OutboxRow } from '../../src/platform/outbox/outbox.table.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import type { FakeMessage } from '../../src/slack/fake/fake-slack.js';
import { Harness } from '../helpers/harness.js';
import { advanceAndDeliver, refreshed, sentAbout, sh } from '../helpers/reminders.js';

/**
 * Messages docket sent about an item (reminders, escalations, "you have a new item") are
 * updated in place when the item changes, so that no old message offers a Done button on an
 * item already done, or names an owner it no longer has.
 */
const START = sh('2026-12-01T10:00:00'); // in the group's zone (Asia/Shanghai)
const clock = new ManualClock(START);
let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ clock, workers: true, env: { SLACK_CHANNEL_INTERVAL_MS: '100' } });
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.reset();
  h.logs.lines.length = 0;
  h.logs.raw.length = 0;
  clock.set(START);
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
});

/** Adds an item and lets the messages it causes at once go out; answers its number (its row id here too). */
async function addItem(args: string): Promise<number> {
  const r = await h.command(`/action add GZ-2026-001 ${args}`);
  const no = /#(\d+)/.exec(r.text)?.[1];
  if (!no) throw new Error(`add failed: ${r.text}`);
  await h.settled();
  return Number(no);
}

/** The message as Slack shows it now. */
const shown = (row: OutboxRow): FakeMessage | undefined => h.fake.message(row.message_channel!, row.message_ts!);
const buttonsOf = (msg: FakeMessage | undefined): string[] => ((msg?.blocks ?? []) as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: { action_id: string }) => e.action_id));
const updatesOf = (row: OutboxRow) => h.fake.callsTo('chat.update').filter((c) => c.args.channel === row.message_channel && c.args.ts === row.message_ts);

describe('after an item changes, what docket sent about it shows it as it is', () => {
  it('done by someone: its reminder by direct message and its escalation in the channel say so, and offer no Done button', async () => {
    // Added four days overdue: Carlos is told at once, and it escalates in the group channel at once.
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-11-27 12:00');
    const other = await addItem('Ask Customs owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    // The next morning's overdue reminder, by direct message.
    await advanceAndDeliver(h, clock, sh('2026-12-02T09:00:00'));
    const sent = await sentAbout(h, id);
    expect(sent.map((r) => [r.kind, r.message_channel])).toEqual([
      ['item.escalation', 'C0GROUP'],
      ['item.assigned', 'D0CARLOS'],
      ['item.overdue', 'D0CARLOS'],
    ]);
    for (const row of sent) expect(buttonsOf(shown(row))).toContain(ITEM_ACTIONS.done);

    await h.click(ITEM_ACTIONS.done, String(id), { user: 'U0BAO', channel: 'C0GROUP' });
    await refreshed(h);

    for (const row of sent) {
      const msg = shown(row);
      expect(msg?.text).toBe(`:white_check_mark: #${id} Verify bank records — done by <@U0BAO>`);
      expect(buttonsOf(msg)).toEqual([]);
      expect(updatesOf(row)).toHaveLength(1);
    }
    // The channel's reader is the group (English); each message is updated where it was posted, with its ts.
    expect(h.fake.callsTo('chat.update').map((c) => c.args.channel).sort()).toEqual(['C0GROUP', 'D0CARLOS', 'D0CARLOS']);
    // Another item's message is not about this one: untouched.
    const [otherGiven] = await sentAbout(h, other);
    expect(updatesOf(otherGiven!)).toHaveLength(0);
    expect(buttonsOf(shown(otherGiven!))).toContain(ITEM_ACTIONS.done);
  });

  it('reassigned: the previous owner’s message shows the new owner, in that reader’s language; the new messages are left as sent', async () => {
    const id = await addItem('核查银行流水 owner:<@U0BAO|bao> due:2026-12-04 17:00');
    const [given] = await sentAbout(h, id);
    expect(given).toMatchObject({ kind: 'item.assigned', message_channel: 'D0BAO' });
    expect(shown(given!)?.text).toContain('交给你');

    await h.command(`/action reassign ${id} <@U0CARLOS|carlos>`);
    await h.settled();
    await refreshed(h);

    const msg = shown(given!);
    expect(msg?.text).toBe(`:pushpin: *GZ-2026-001* 的事项 #${id}：核查银行流水\n负责人 <@U0CARLOS>，期限 *2026-12-04 17:00（Asia/Shanghai）*`);
    // Still open: its buttons stay.
    expect(buttonsOf(msg)).toContain(ITEM_ACTIONS.done);
    // "No longer yours" and "you have a new item" went out after the change, and say it as it is.
    const after = (await sentAbout(h, id)).slice(1);
    expect(after.map((r) => [r.kind, r.message_channel])).toEqual(expect.arrayContaining([['item.released', 'D0BAO'], ['item.assigned', 'D0CARLOS']]));
    expect(h.fake.callsTo('chat.update').map((c) => c.args.ts)).toEqual([given!.message_ts]);
  });

  it('cancelled with its case: its messages say who cancelled it, without buttons', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    const [given] = await sentAbout(h, id);
    const ask = await h.command('/case close GZ-2026-001 returned');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    await refreshed(h);
    const msg = shown(given!);
    expect(msg?.text).toBe(`:heavy_multiplication_x: #${id} Verify bank records — cancelled by <@U0ALICE>`);
    expect(buttonsOf(msg)).toEqual([]);
  });

  it('two changes in quick succession end with the latest shown, even when the first one’s update is retried after the second', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    const [given] = await sentAbout(h, id);
    // The first update fails on the way (Slack answers 500): its job retries seconds later, after the second change is shown.
    h.fake.inject({ method: 'chat.update', status: 500 });
    await h.command(`/action due ${id} 2026-12-05 17:00`);
    await h.command(`/action done ${id}`);
    await refreshed(h);
    expect(shown(given!)?.text).toBe(`:white_check_mark: #${id} Verify bank records — done by <@U0ALICE>`);
    // The retry finds the message already showing a later change, and leaves it.
    await h.logs.waitFor((l) => l.msg === 'refresh skipped' && l.outbox === given!.id);
    expect(shown(given!)?.text).toContain('done by <@U0ALICE>');
    expect(buttonsOf(shown(given!))).toEqual([]);
    expect(updatesOf(given!).map((c) => c.ok)).toEqual([false, true]);
  });

  it('a message deleted in Slack is given up quietly after one try, and the others are updated all the same', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-01 12:00');
    await advanceAndDeliver(h, clock, sh('2026-12-01T11:00:00')); // "due in 1 hour"
    const [given, before] = await sentAbout(h, id);
    expect(before).toMatchObject({ kind: 'item.before', message_channel: 'D0CARLOS' });
    h.fake.deleteMessage(before!.message_channel!, before!.message_ts!);

    await h.command(`/action done ${id}`);
    await refreshed(h);
    expect(shown(given!)?.text).toContain('done by <@U0ALICE>');
    const [row] = await h.db.selectFrom('outbox').select(['update_error', 'state']).where('id', '=', before!.id).execute();
    expect(row).toEqual({ update_error: 'message_not_found', state: 'sent' });
    // Later changes do not try it again.
    await h.command(`/action reopen ${id}`);
    await refreshed(h);
    expect(buttonsOf(shown(given!))).toContain(ITEM_ACTIONS.done);
    expect(updatesOf(before!)).toHaveLength(1);
    expect(updatesOf(given!)).toHaveLength(2);
    // Said once, as ids and a code; no job failed, and no log line carries the item's text.
    expect(h.logs.lines.filter((l) => l.msg === 'refresh' && l.outcome === 'permanent')).toEqual([expect.objectContaining({ outbox: before!.id, code: 'message_not_found' })]);
    expect(h.logs.lines.filter((l) => l.msg === 'job failed')).toEqual([]);
    expect(h.logs.raw.filter((l) => l.includes('Verify bank records'))).toEqual([]);
  });

  it('waits out a 429 with its Retry-After, then updates', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    const [given] = await sentAbout(h, id);
    h.fake.inject({ method: 'chat.update', status: 429, retryAfter: 1 });
    await h.command(`/action due ${id} 2026-12-05 17:00`);
    await refreshed(h);
    expect(shown(given!)?.text).toBe(`:pushpin: #${id} on *GZ-2026-001*: Verify bank records\nOwner <@U0CARLOS> · due *2026-12-05 17:00 (Asia/Shanghai)*`);
    const [limited, ok] = updatesOf(given!);
    expect([limited!.error, ok!.ok]).toEqual(['ratelimited', true]);
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(950);
    // Waiting for Slack's say-so is not a failed attempt.
    expect(h.logs.lines.filter((l) => l.msg === 'job failed')).toEqual([]);
  });

  it('survives losing the update between the commit and its job: the reconciler finds the stale message and updates it', async () => {
    const id = await addItem('Verify bank records owner:<@U0CARLOS|carlos> due:2026-12-04 17:00');
    const [given] = await sentAbout(h, id);
    // As if the process died right after the commit, before enqueueing (or Redis lost the job).
    await h.workers!.worker.pause();
    await h.command(`/action done ${id}`);
    await h.workers!.scheduler.queue.remove(refreshJobIdOf({ id: given!.id, version: 1 }));
    await h.workers!.worker.resume();
    clock.set(new Date(START.getTime() + 60_000));
    expect((await h.workers!.reconciler.runOnce())?.refreshes).toBe(1);
    await refreshed(h);
    expect(shown(given!)?.text).toContain('done by <@U0ALICE>');
    // Once shown, it is no longer the reconciler's.
    expect((await h.workers!.reconciler.runOnce())?.refreshes).toBe(0);
  });
});
