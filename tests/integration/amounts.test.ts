import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true });

const entries = () => h.db.selectFrom('money_entries').select(['kind', 'amount', 'currency', 'occurred_on', 'note']).orderBy('id').execute();

describe('amounts as people write them', () => {
  it('records “70 000” as seventy thousand and says so', async () => {
    await h.command('/case open Zhong');
    const r = await h.command('/case money GZ-2021-001 recovered 70 000');
    expect(r.text).toBe('Recorded on *GZ-2021-001*: recovered CN¥70,000.00, dated 2021-11-12.');
    expect(await entries()).toEqual([{ kind: 'recovered', amount: '70000.0000', currency: 'CNY', occurred_on: '2021-11-12', note: null }]);
  });

  it.each([
    ['70\u00A0000 CNY 2020-05-20 first part', '70000.0000', 'first part'],
    ['70\u202F000.50', '70000.5000', null],
    ['2亿3000万 frozen accounts', '230000000.0000', 'frozen accounts'],
    ['1.5万', '15000.0000', null],
  ])('reads %s', async (typed, amount, note) => {
    await h.command('/case open Zhong');
    const r = await h.command(`/case money GZ-2021-001 involved ${typed}`);
    expect(r.text).toContain('Recorded on *GZ-2021-001*: involved CN¥');
    expect(await entries()).toEqual([expect.objectContaining({ amount, note })]);
  });

  it('refuses a grouping that could mean two numbers, and records nothing', async () => {
    await h.command('/case open Zhong');
    for (const typed of ['70 00', '1,5', '1,23,456', '1.234.567', '5000 3 accounts']) {
      const r = await h.command(`/case money GZ-2021-001 recovered ${typed}`);
      expect(r.text).toMatch(/could be read as more than one number\. Group digits in threes/);
      expect(r.text).toContain('\nUsage: /case money REF');
    }
    // A note that starts with a number, after the currency, is a note.
    const ok = await h.command('/case money GZ-2021-001 recovered 5000 CNY 3 accounts');
    expect(ok.text).toBe('Recorded on *GZ-2021-001*: recovered CN¥5,000.00, dated 2021-11-12.');
    expect(await entries()).toEqual([expect.objectContaining({ amount: '5000.0000', note: '3 accounts' })]);
  });

  it('reads the amount of the open-case form the same way, and echoes it', async () => {
    const form = await h.command('/case open');
    const view = h.openedView(form.triggerId);
    const bad = await h.submit(view, { title: 'Zhou', opened: '2021-03-01', amount: '70 00' });
    expect(bad.body).toEqual({ response_action: 'errors', errors: { amount: expect.stringContaining('could be read as more than one number') } });
    const opened = h.fake.calls.length;
    await h.submit(view, { title: 'Zhou', opened: '2021-03-01', amount: '70\u2009000' });
    const reply = h.fake.calls.slice(opened).find((c) => c.method === 'chat.postEphemeral');
    expect(reply?.args.text).toBe('Opened *GZ-2021-001*: Zhou\nAmount involved: CN¥70,000.00');
    expect(await entries()).toEqual([expect.objectContaining({ kind: 'involved', amount: '70000.0000' })]);
  });
});
