import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { checkView } from '../../src/slack/fake/block-kit.js';
import { useHarness } from '../helpers/harness.js';

const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true, workers: true, env: { SLACK_CHANNEL_INTERVAL_MS: '50' } });

const cases = () => h.db.selectFrom('cases').selectAll().orderBy('id').execute();

async function openForm(user = 'U0ALICE') {
  const r = await h.command('/case open', { user });
  return h.openedView(r.triggerId);
}

const filled = {
  title: 'Zhou, cross-region case',
  subject: '周某某',
  category: 'fugitive',
  opened: '2021-03-01',
  since: '2015-07-01',
  location: 'Shanghai',
  plan: 'Repeated consultation with Shanghai police',
  amount: '5.564万',
};

describe('the open-case form', () => {
  it('opens with every field, within Slack’s limits', async () => {
    const view = await openForm();
    expect(view.callback_id).toBe('case.open');
    expect(view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(['title', 'subject', 'category', 'unit', 'opened', 'since', 'location', 'plan', 'supervisor', 'amount']);
    expect(checkView(view)).toEqual([]);
    const opened = view.blocks.find((b: { block_id: string }) => b.block_id === 'opened');
    expect(opened.element.initial_date).toBe('2021-11-12');
  });

  it('shows mistakes inline, on their fields, and writes nothing', async () => {
    const view = await openForm();
    const res = await h.submit(view, { ...filled, amount: 'lots', since: '2030-01-01' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { amount: expect.stringContaining('is not an amount'), since: 'At large since cannot be in the future.' },
    });
    expect(await cases()).toHaveLength(0);
    expect(await h.settledPosts()).toHaveLength(0);
  });

  it('opens the case with every field and the amount involved', async () => {
    const view = await openForm();
    const unitOption = view.blocks.find((b: { block_id: string }) => b.block_id === 'unit').element.options.find((o: { text: { text: string } }) => o.text.text === 'Police');
    const res = await h.submit(view, { ...filled, unit: unitOption.value, supervisor: 'U0ALICE' });
    expect(res.body).toBeNull();
    const [c] = await cases();
    expect(c).toMatchObject({
      ref: 'GZ-2021-001',
      title: filled.title,
      subject: '周某某',
      category: 'fugitive',
      opened_on: '2021-03-01',
      at_large_since: '2015-07-01',
      last_location: 'Shanghai',
      plan: filled.plan,
      plan_version: 1,
      supervisor_user_id: 'U0ALICE',
      origin_unit_id: Number(unitOption.value),
    });
    const money = await h.db.selectFrom('money_entries').selectAll().execute();
    expect(money).toMatchObject([{ kind: 'involved', amount: '55640.0000', currency: 'CNY', occurred_on: '2021-03-01' }]);
    const reply = h.fake.calls.find((c) => c.method === 'chat.postEphemeral');
    expect(reply?.args).toMatchObject({ channel: 'C0GROUP', user: 'U0ALICE', text: 'Opened *GZ-2021-001*: Zhou, cross-region case\nAmount involved: CN¥55,640.00' });
    expect(await h.settledPosts('C0GROUP')).toHaveLength(1);
  });

  it('opens one case when the same form is submitted twice at once', async () => {
    const view = await openForm();
    await Promise.all([h.submit(view, filled), h.submit(view, filled)]);
    expect(await cases()).toHaveLength(1);
    expect(await h.settledPosts('C0GROUP')).toHaveLength(1);
  });

  it('lets only coordinators list a case for supervision', async () => {
    const view = await openForm('U0BAO');
    expect(view.blocks.map((b: { block_id: string }) => b.block_id)).not.toContain('supervisor');
    // A submission carrying the field anyway (an old form, a forged payload) is refused on it.
    const alices = await openForm('U0ALICE');
    const forged = { ...view, blocks: [...view.blocks, alices.blocks.find((b: { block_id: string }) => b.block_id === 'supervisor')] };
    const res = await h.submit(forged, { ...filled, supervisor: 'U0ALICE' }, { user: 'U0BAO' });
    expect(res.body).toEqual({ response_action: 'errors', errors: { supervisor: '只有本组协调员可以执行此操作。' } });
    expect(await cases()).toHaveLength(0);
  });

  it('is refused to observers before any form opens', async () => {
    const r = await h.command('/case open', { user: 'U0DANA' });
    expect(r.text).toBe('Observers can read this group’s cases but not change them.');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('writes nothing at all when part of the change fails', async () => {
    // A trigger stands in for a failure halfway through: after the case row, at the money row.
    await sql`create function fail_money() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(h.db);
    await sql`create trigger fail_money before insert on money_entries for each row execute function fail_money()`.execute(h.db);
    try {
      const view = await openForm();
      await h.submit(view, filled);
      const reply = h.fake.calls.find((c) => c.method === 'chat.postEphemeral');
      expect(reply?.args.text).toContain('Something went wrong on our side and nothing was changed');
      expect(await cases()).toHaveLength(0);
      expect(await h.db.selectFrom('case_counters').selectAll().execute()).toHaveLength(0);
      expect(await h.db.selectFrom('audit_events').selectAll().where('case_id', 'is not', null).execute()).toHaveLength(0);
      expect(await h.settledPosts()).toHaveLength(0);
    } finally {
      await sql`drop trigger fail_money on money_entries`.execute(h.db);
      await sql`drop function fail_money()`.execute(h.db);
    }
  });

  it('tells the user to try again when the form could not open in time', async () => {
    const trigger = h.fake.mintTrigger();
    h.fake.expireTrigger(trigger);
    const r = await h.command('/case open', { triggerId: trigger });
    expect(r.text).toBe('The form could not open in time. Please run the command again.');
    expect(h.fake.callsTo('views.open')[0]?.error).toBe('expired_trigger_id');
  });
});

describe('forms from the case card', () => {
  beforeEach(async () => {
    await h.command('/case open Liu');
  });

  it('edits fields and records before and after', async () => {
    const click = await h.click('case.edit', 'GZ-2021-001');
    const view = h.openedView(click.triggerId);
    await h.submit(view, { title: 'Liu, Dege County', opened: '2019-01-01', since: '2019-01-01', location: 'Dege' });
    const [c] = await cases();
    expect(c).toMatchObject({ title: 'Liu, Dege County', opened_on: '2019-01-01', at_large_since: '2019-01-01', last_location: 'Dege' });
    const [edit] = await h.db.selectFrom('audit_events').selectAll().where('kind', '=', 'case.edited').execute();
    expect(edit!.before).toEqual({ title: 'Liu', opened_on: '2021-11-12', at_large_since: null, last_location: null });
  });

  it('adds a note once even when the form is submitted twice', async () => {
    const view = h.openedView((await h.click('case.note', 'GZ-2021-001')).triggerId);
    await h.submit(view, { note: 'Bank accounts frozen' });
    await h.submit(view, { note: 'Bank accounts frozen' }, { retryNum: 1 });
    const notes = await h.db.selectFrom('audit_events').selectAll().where('kind', '=', 'case.note').execute();
    expect(notes).toHaveLength(1);
  });

  it('changes status with the time it happened, read in the group’s zone', async () => {
    const view = h.openedView((await h.click('case.status', 'GZ-2021-001')).triggerId);
    const res = await h.submit(view, { status: 'in_custody', when: 'tomorrow 9am' });
    expect(res.body).toEqual({ response_action: 'errors', errors: { when: 'When cannot be in the future.' } });
    // Before the case was opened: said in the form, with how to set an earlier opening.
    const early = await h.submit(view, { status: 'in_custody', when: '2019-01-05 16:00' });
    expect(early.body?.errors.when).toContain('was opened on 2021-11-12');
    expect((await cases())[0]!.status).toBe('open');
    await h.command('/case edit GZ-2021-001 opened 2018-12-01');
    const done = await h.submit(view, { status: 'in_custody', when: '2019-01-05 16:00', region: '  Sichuan ', city: 'Chengdu' });
    expect(done.body?.errors).toBeUndefined();
    expect((await cases())[0]).toMatchObject({ in_custody_at: new Date('2019-01-05T08:00:00.000Z'), found_region: 'Sichuan', found_city: 'Chengdu' });
  });

  it('closes from the form, which is itself the confirmation', async () => {
    const view = h.openedView((await h.click('case.close', 'GZ-2021-001')).triggerId);
    await h.submit(view, { outcome: 'surrendered', note: 'Turned himself in' });
    expect((await cases())[0]).toMatchObject({ status: 'closed', outcome: 'surrendered' });
    expect(await h.settledPosts('C0ANNOUNCE')).toHaveLength(1);
  });

  it('does not open the close form for a member who is not a coordinator', async () => {
    const click = await h.click('case.close', 'GZ-2021-001', { user: 'U0BAO' });
    expect(click.text).toBe('只有本组协调员可以执行此操作。');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });
});
