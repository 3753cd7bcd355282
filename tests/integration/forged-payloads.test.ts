import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DOCKET_ACTIONS } from '../../commands/docket.js';
import { ManualClock } from '../../src/domain/clock.js';
import { ACTIONS } from '../../src/slack/blocks/case-card.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { useHarness } from '../helpers/harness.js';

const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true });

const FORGED = 'U1> <!channel';
const INTERNAL = 'Something went wrong on our side and nothing was changed. Please try again in a moment.';
const cases = () => h.db.selectFrom('cases').selectAll().orderBy('id').execute();
/** Everything docket sent to Slack: not one call may carry a live @channel. */
const pinged = () => h.fake.calls.filter((c) => JSON.stringify(c.args).includes('<!channel'));

async function form(command: string) {
  const r = await h.command(command);
  return h.openedView(r.triggerId);
}

describe('forged form values', () => {
  it('refuses a supervisor that is no Slack user id, on the field, and writes nothing', async () => {
    const view = await form('/case open');
    const res = await h.submit(view, { title: 'Zhou', opened: '2021-03-01', supervisor: FORGED });
    expect(res.body).toEqual({ response_action: 'errors', errors: { supervisor: 'That choice is not one this form offers. Close the form and open it again.' } });
    expect(await cases()).toHaveLength(0);

    await h.command('/case open Zhang');
    const edit = await form('/case edit GZ-2021-001');
    const edited = await h.submit(edit, { title: 'Zhang', opened: '2021-11-12', supervisor: '<!channel>' });
    expect(edited.body).toEqual({ response_action: 'errors', errors: { supervisor: expect.stringContaining('not one this form offers') } });
    expect((await cases())[0]!.supervisor_user_id).toBeNull();
    expect(pinged()).toEqual([]);
  });

  it('refuses unit ids docket never offered', async () => {
    for (const unit of ['1e3', 'abc', '-1', '99999999999']) {
      const view = await form('/case open');
      const res = await h.submit(view, { title: 'Zhou', opened: '2021-03-01', unit });
      expect(res.body).toEqual({ response_action: 'errors', errors: { unit: expect.stringContaining('not one this form offers') } });
    }
    expect(await cases()).toHaveLength(0);
  });

  it('refuses an action item owner or unit that is no id, on the field', async () => {
    await h.command('/case open Zhang');
    const click = await h.click(ITEM_ACTIONS.add, 'GZ-2021-001');
    const view = h.openedView(click.triggerId);
    const res = await h.submit(view, { text: 'Verify', due: 'next Friday', owner: FORGED, unit: '1e3' });
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { owner: expect.stringContaining('not one this form offers'), unit: expect.stringContaining('not one this form offers') },
    });
    expect(await h.db.selectFrom('action_items').selectAll().execute()).toHaveLength(0);
    expect(pinged()).toEqual([]);
  });

  it('answers a form whose remembered item or case was tampered with, instead of failing inside', async () => {
    await h.command('/case open Zhang');
    await h.command('/action add GZ-2021-001 Verify due:next Friday');
    const click = await h.click(ITEM_ACTIONS.reassign, '1');
    const view = h.openedView(click.triggerId);
    const sent = h.fake.calls.length;
    await h.submit({ ...view, private_metadata: JSON.stringify({ channel: 'C0GROUP', item: '1 or 1=1' }) }, { owner: 'U0BAO' });
    const note = h.openedView((await h.click(ACTIONS.note, 'GZ-2021-001')).triggerId);
    await h.submit({ ...note, private_metadata: JSON.stringify({ channel: 'C0GROUP', ref: '<!channel>' }) }, { note: 'x' });
    const replies = h.fake.calls.slice(sent).filter((c) => c.method === 'chat.postEphemeral').map((c) => c.args.text);
    expect(replies).toEqual(['That button no longer works. Please run the command again.', 'That button no longer works. Please run the command again.']);
    expect(replies).not.toContain(INTERNAL);
    expect(await h.db.selectFrom('action_items').select('owner_user_id').execute()).toEqual([{ owner_user_id: 'U0ALICE' }]);
  });
});

describe('forged button values', () => {
  it('refuses a removal whose user is no Slack id: no reply pings @channel', async () => {
    const r = await h.click(DOCKET_ACTIONS.removeMember, FORGED);
    expect(r.text).toBe('That button no longer works. Please run the command again.');
    const unit = await h.click(DOCKET_ACTIONS.removeUnit, 'P'.repeat(81));
    expect(unit.text).toBe('That button no longer works. Please run the command again.');
    expect(pinged()).toEqual([]);
  });

  it('refuses case buttons whose reference is none', async () => {
    await h.command('/case open Zhang');
    for (const [action, value] of [
      [ACTIONS.show, '<!channel>'],
      [ACTIONS.edit, 'GZ-2021-001 '.repeat(100)],
      [ITEM_ACTIONS.add, '<!channel>'],
      [ACTIONS.closeConfirm, JSON.stringify({ ref: '<!channel>', outcome: 'returned', date: null, note: null })],
    ] as const) {
      const r = await h.click(action, value);
      expect(r.text).toBe('That button no longer works. Please run the command again.');
    }
    expect((await cases())[0]!.status).toBe('open');
  });
});

describe('ids stored before they were checked', () => {
  it('show as inert text, never as a mention', async () => {
    await h.command('/case open Zhang');
    await sql`update cases set supervisor_user_id = ${FORGED}`.execute(h.db);
    const card = await h.command('/case show GZ-2021-001');
    const blocks = JSON.stringify(card.reply!.args.blocks);
    expect(blocks).toContain('U1&gt; &lt;!channel');
    expect(pinged()).toEqual([]);
  });
});
