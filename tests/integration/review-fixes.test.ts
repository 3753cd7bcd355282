import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { checkBlocks } from '../../src/slack/fake/block-kit.js';
import { useHarness } from '../helpers/harness.js';

// Edge cases found in review: each of these once did the wrong thing.
const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true });
const theCase = () => h.db.selectFrom('cases').selectAll().where('ref', '=', 'GZ-2021-001').executeTakeFirstOrThrow();
const blockIds = (view: Record<string, any>) => (view.blocks as { block_id: string }[]).map((b) => b.block_id);

describe('the edit form', () => {
  it('lets a member save a supervised case: they do not see supervision, and it stays', async () => {
    await h.command('/case open Zhou');
    await h.command('/case supervise GZ-2021-001 <@U0ALICE|alice>');
    const view = h.openedView((await h.click('case.edit', 'GZ-2021-001', { user: 'U0CARLOS' })).triggerId);
    expect(blockIds(view)).not.toContain('supervisor');
    const res = await h.submit(view, { title: 'Zhou, Shanghai', opened: '2021-11-12' }, { user: 'U0CARLOS' });
    expect(res.body).toBeNull();
    expect(await theCase()).toMatchObject({ title: 'Zhou, Shanghai', supervisor_user_id: 'U0ALICE' });
  });

  it('refuses to overwrite a change someone made while the form was open', async () => {
    await h.command('/case open Zhou');
    const view = h.openedView((await h.click('case.edit', 'GZ-2021-001')).triggerId);
    await h.command('/case edit GZ-2021-001 location Shanghai', { user: 'U0BAO' });
    await h.submit(view, { title: 'Zhou, renamed', opened: '2021-11-12' });
    const reply = h.fake.callsTo('chat.postEphemeral').at(-1)!;
    expect(reply.args.text).toContain('was changed by someone else while you were editing');
    expect(await theCase()).toMatchObject({ title: 'Zhou', last_location: 'Shanghai' });
  });

  it('keeps a unit that was removed since, instead of dropping it on save', async () => {
    await h.command('/case open Zhou');
    await h.command('/case edit GZ-2021-001 unit Police');
    const ask = await h.command('/docket units remove Police');
    await h.click(ask.reply!.args.blocks[1].elements[0].action_id, ask.reply!.args.blocks[1].elements[0].value);
    const before = await theCase();
    const view = h.openedView((await h.click('case.edit', 'GZ-2021-001')).triggerId);
    const unit = view.blocks.find((b: { block_id: string }) => b.block_id === 'unit');
    expect(unit.element.initial_option.value).toBe(String(before.origin_unit_id));
    await h.submit(view, { title: 'Zhou', opened: '2021-11-12', unit: String(before.origin_unit_id) });
    expect((await theCase()).origin_unit_id).toBe(before.origin_unit_id);
  });
});

describe('closed cases', () => {
  it('leave closed only through reopen, and their card offers no status change', async () => {
    await h.command('/case open Liu');
    const ask = await h.command('/case close GZ-2021-001 returned');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    const r = await h.command('/case status GZ-2021-001 open', { user: 'U0CARLOS' });
    expect(r.text).toContain('The case is closed: reopen it first');
    expect((await theCase()).status).toBe('closed');
    const card = (await h.command('/case show GZ-2021-001')).reply!.args.blocks;
    const actions = card.find((b: { type: string }) => b.type === 'actions').elements.map((e: { action_id: string }) => e.action_id);
    expect(actions).toEqual(['case.edit', 'case.note']);
  });

  it('refuses a closing note too long for the confirmation button', async () => {
    await h.command('/case open Liu');
    const r = await h.command(`/case close GZ-2021-001 returned ${'长'.repeat(501)}`);
    expect(r.text).toContain('Note is too long: at most 500 characters.');
  });

  it('counts time at large again when a subject in custody gets away', async () => {
    await h.command('/case open Escapee');
    await h.command('/case edit GZ-2021-001 since 2010-01-01');
    await h.command('/case status GZ-2021-001 in custody 2015-01-01');
    await h.command('/case status GZ-2021-001 open');
    const card = JSON.stringify((await h.command('/case show GZ-2021-001')).reply!.args.blocks);
    expect(card).toContain('11 years 10 months');
  });
});

describe('text and numbers', () => {
  it('shows a plan full of characters that need escaping, within Slack’s limits', async () => {
    await h.command('/case open Liu');
    await h.command(`/case plan GZ-2021-001 ${'&'.repeat(1000)}<b>`);
    const r = await h.command('/case show GZ-2021-001');
    expect(r.reply!.args.blocks).toBeDefined();
    expect(checkBlocks(r.reply!.args.blocks)).toEqual([]);
    expect(JSON.stringify(r.reply!.args.blocks)).toContain('&amp;&amp;');
  });

  it('does not read a note’s first word as a currency, and refuses a symbol that contradicts the code', async () => {
    await h.command('/case open Liu');
    await h.command('/case money GZ-2021-001 recovered 1000 all returned to treasury');
    const [entry] = await h.db.selectFrom('money_entries').selectAll().execute();
    expect(entry).toMatchObject({ currency: 'CNY', note: 'all returned to treasury' });
    expect((await h.command('/case money GZ-2021-001 recovered ¥100 USD')).text).toContain('written in CNY but the currency given is USD');
  });

  it('refuses dates before 1900 instead of failing in the database', async () => {
    await h.command('/case open Liu');
    expect((await h.command('/case edit GZ-2021-001 since 0000')).text).toContain('could not read “0000” as a date');
    expect((await h.command('/case edit GZ-2021-001 opened 0999-05-01')).text).toContain('could not read');
  });

  it('drops control characters Postgres cannot store', async () => {
    await h.command('/case open Liu');
    await h.command('/case note GZ-2021-001 before\u0000after');
    const [note] = await h.db.selectFrom('audit_events').select('after').where('kind', '=', 'case.note').execute();
    expect(note!.after).toEqual({ text: 'beforeafter' });
  });

  it('escapes what was typed when quoting it back', async () => {
    const r = await h.command('/case show <!channel>');
    expect(r.text).toContain('“&lt;!channel&gt;” is not a case reference');
  });
});

describe('history and scope', () => {
  it('counts every timeline entry, and says when only the latest are shown', async () => {
    await h.command('/case open Busy');
    const c = await theCase();
    await sql`insert into audit_events (team_id, group_id, case_id, actor_user_id, kind, after)
      select team_id, group_id, id, 'U0ALICE', 'case.note', '{"text":"n"}'::jsonb from cases, generate_series(1, 205)`.execute(h.db);
    const text = JSON.stringify((await h.command('/case history GZ-2021-001')).reply!.args.blocks);
    expect(c.id).toBe(1);
    expect(text).toContain('Timeline of GZ-2021-001* (206)');
    expect(text).toContain('Showing the latest 200.');
  });

  it('does not act on a group from a channel that is not one', async () => {
    const r = await h.command('/case open Misplaced', { channel: 'C0RANDOM' });
    expect(r.text).toContain('not a docket group yet');
    expect(await h.db.selectFrom('cases').selectAll().execute()).toHaveLength(0);
  });

  it('sets a channel up once when two people run setup at the same moment', async () => {
    const [a, b] = await Promise.all([h.command('/docket setup Danba prefix:DB', { channel: 'C0COUNTY' }), h.command('/docket setup Danba2 prefix:DB2', { channel: 'C0COUNTY', user: 'U0CARLOS' })]);
    const groups = await h.db.selectFrom('groups').selectAll().where('channel_id', '=', 'C0COUNTY').execute();
    expect(groups).toHaveLength(1);
    const loser = [a, b].find((r) => !r.text.includes('is set up'))!;
    expect(loser.text).toMatch(/same change at the same moment|already the group/);
  });
});
