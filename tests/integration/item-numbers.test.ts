import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { useHarness } from '../helpers/harness.js';
import { sh } from '../helpers/reminders.js';

const clock = new ManualClock(sh('2026-12-01T10:00:00'));
const h = useHarness({ clock, group: true, workers: true });

/** A second group (Danba, prefix DB) in #danba-county, Alice coordinating it too, with Bao a member and one case. */
async function secondGroup(): Promise<void> {
  const r = await h.command('/docket setup Danba prefix:DB tz:Asia/Shanghai', { channel: 'C0COUNTY' });
  if (!r.text.includes('set up')) throw new Error(`setup failed: ${r.text}`);
  await h.command('/docket members add <@U0BAO|bao>', { channel: 'C0COUNTY' });
  await h.command('/case open Wang, fled 2009', { channel: 'C0COUNTY' });
}

const addA = (text: string) => h.command(`/action add GZ-2026-001 ${text} due:2026-12-04 17:00`);
const addB = (text: string) => h.command(`/action add DB-2026-001 ${text} due:2026-12-04 17:00`, { channel: 'C0COUNTY' });
const numberIn = (text: string) => Number(/#(\d+)/.exec(text)?.[1]);
const item = (text: string) => h.db.selectFrom('action_items').selectAll().where('text', '=', text).executeTakeFirstOrThrow();

async function bothGroups(): Promise<void> {
  await h.command('/case open Zhang, fled 2003');
  await secondGroup();
}

describe('item numbers are per group, like case references', () => {
  it('each group’s first item is #1, in the reply, the list and the card', async () => {
    await bothGroups();
    expect((await addA('Verify bank records')).text).toContain('Added #1 to *GZ-2026-001*');
    expect((await addA('Check exit records')).text).toContain('Added #2 to *GZ-2026-001*');
    const b = await addB('Interview the family');
    expect(b.text).toBe('Added #1 to *DB-2026-001*, due *2026-12-04 17:00 (Asia/Shanghai)*.');
    expect(b.reply!.args.blocks[1].text.text).toBe('#1 · Interview the family');
    expect((await item('Interview the family')).id).toBe(3); // the row id, which nobody sees
    const list = await h.command('/action list', { channel: 'C0COUNTY' });
    expect(JSON.stringify(list.reply!.args.blocks)).toContain('*#1* DB-2026-001 · Interview the family');
  });

  it('a number typed in a group’s channel is that group’s item, never another group’s', async () => {
    await bothGroups();
    await addA('Verify bank records');
    await addA('Check exit records');
    await addB('Interview the family');
    const done = await h.command('/action done 1', { channel: 'C0COUNTY' });
    expect(done.text).toBe(':white_check_mark: #1 Interview the family — done by <@U0ALICE>');
    expect((await item('Interview the family')).state).toBe('done');
    expect((await item('Verify bank records')).state).toBe('open');
    // Group A has a #2; group B does not, and is not answered with A's.
    expect((await h.command('/action show 2', { channel: 'C0COUNTY' })).text).toBe('This group has no action item #2.');
    expect((await h.command('/action due 2 2026-12-05 17:00', { channel: 'C0COUNTY' })).text).toContain('This group has no action item #2.');
    expect((await item('Check exit records')).due_at).toEqual(sh('2026-12-04T17:00:00'));
    // The same words in A's channel act on A's #1.
    expect((await h.command('/action done 1')).text).toBe(':white_check_mark: #1 Verify bank records — done by <@U0ALICE>');
    expect((await h.command('/action reopen 1', { channel: 'C0COUNTY' })).text).toBe('#1 is open again.');
    expect((await item('Interview the family')).state).toBe('open');
    expect((await item('Verify bank records')).state).toBe('done');
  });

  it('in a direct message, a typed number is read in the person’s one group', async () => {
    await bothGroups();
    await addA('Verify bank records');
    await addB('Interview the family');
    // Erin belongs to group B only.
    await h.command('/docket members add <@U0ERIN|erin>', { channel: 'C0COUNTY' });
    const r = await h.command('/action show 1', { user: 'U0ERIN', channel: 'DERIN' });
    expect(r.reply!.args.blocks[0].text.text).toBe('#1 · Interview the family');
    // Alice belongs to both: a number alone cannot say whose; and a change is made in a group's channel.
    expect((await h.command('/action show 1', { channel: 'DALICE' })).text).toContain('This channel is not a docket group');
    expect((await h.command('/action done 1', { channel: 'DALICE' })).text).toContain('This command works in a group’s channel');
    expect((await item('Verify bank records')).state).toBe('open');
  });

  it('a direct message about an item shows its group’s number, and its buttons act on that item', async () => {
    await bothGroups();
    await addA('Verify bank records owner:<@U0BAO|bao>');
    await addB('Interview the family owner:<@U0BAO|bao>');
    const dms = await h.settledPosts('U0BAO');
    const dm = dms.find((c) => String(c.args.text).includes('DB-2026-001'))!;
    expect(dm.args.text).toContain('#1'); // not #2, its row id
    const done = (dm.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === ITEM_ACTIONS.done)!;
    const r = await h.click(done.action_id, done.value, { user: 'U0BAO', channel: 'DBAO' });
    expect(r.text).toContain('#1 Interview the family');
    expect((await item('Interview the family')).state).toBe('done');
    expect((await item('Verify bank records')).state).toBe('open');
  });

  it('the case timeline names items by their group’s number, entries written before numbers too', async () => {
    await bothGroups();
    await addA('Verify bank records');
    await addB('Interview the family');
    await addB('Trace the car');
    const b = await item('Trace the car');
    // An entry as written before items had numbers: the row id only (3 here, the group's #2).
    await sql`insert into audit_events (team_id, group_id, case_id, actor_user_id, kind, before, after)
              values (${b.team_id}, ${b.group_id}, ${b.case_id}, 'U0ALICE', 'action.snoozed', ${JSON.stringify({ snoozed_until: null })}, ${JSON.stringify({ id: b.id, snooze: '1d', snoozed_until: '2026-12-02T02:00:00Z' })})`.execute(h.db);
    const ask = await h.command('/case close DB-2026-001 returned', { channel: 'C0COUNTY' });
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value, { channel: 'C0COUNTY' });
    const history = JSON.stringify((await h.command('/case history DB-2026-001', { channel: 'C0COUNTY' })).reply!.args);
    expect(history).toContain('added action item #1: Interview the family');
    expect(history).toContain('added action item #2: Trace the car');
    expect(history).toContain('snoozed #2 until 2026-12-02 10:00');
    expect(history).toContain('cancelled #1 with the case');
    expect(history).toContain('cancelled #2 with the case');
    expect(history).not.toContain('#3');
    const reopened = await h.command('/case reopen DB-2026-001 appeal', { channel: 'C0COUNTY' });
    expect(reopened.text).toContain('stay cancelled (#1, #2)');
  });

  it('50 adds at once in one group take 50 distinct, consecutive numbers', async () => {
    await bothGroups();
    await addA('Verify bank records');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => addB(`Task ${i}`)));
    const numbers = answers.map((a) => numberIn(a.text));
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const rows = await h.db.selectFrom('action_items').select(['text', 'seq']).where('text', 'like', 'Task %').execute();
    // Each reply names the number its item got.
    expect(new Map(rows.map((r) => [r.text, r.seq]))).toEqual(new Map(answers.map((a, i) => [`Task ${i}`, numbers[i]])));
    expect((await addA('Check exit records')).text).toContain('Added #2 to *GZ-2026-001*');
  });
});
