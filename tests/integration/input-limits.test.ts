import * as chrono from 'chrono-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { INPUT_MAX } from '../../src/domain/input-limits.js';
import { useHarness } from '../helpers/harness.js';

// Tuesday 1 December 2026, 10:00 in Asia/Shanghai.
const clock = new ManualClock(new Date('2026-12-01T02:00:00Z'));
const h = useHarness({ clock, group: true });

/** The longest text chrono was handed since the test began: caps must hold before it. */
let longestParsed: () => number;
beforeEach(async () => {
  const spies = [vi.spyOn(chrono.en.casual, 'parse'), vi.spyOn(chrono.zh.casual, 'parse')];
  longestParsed = () => Math.max(0, ...spies.flatMap((s) => s.mock.calls.map((c) => c[0].length)));
  await h.command('/case open Zhang, fled 2003');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const items = () => h.db.selectFrom('action_items').selectAll().execute();

describe('long input', () => {
  it('refuses a 32,000-character due time at once, and answers another user meanwhile', async () => {
    const [long, other] = await Promise.all([
      h.command(`/action add GZ-2026-001 Check records due:${'十'.repeat(32_000)}`),
      h.command('/case show GZ-2026-001', { user: 'U0CARLOS' }),
    ]);
    expect(long.text).toBe(
      'That command is too long: docket reads at most 4,000 characters. For long text, use the form (e.g. `/case plan REF` without text).\nUsage: /action help | add | list | show | done | reopen | cancel | reassign | due | snooze | settings',
    );
    expect(other.reply?.args.text).toBe('GZ-2026-001 · Zhang, fled 2003');
    expect(longestParsed()).toBe(0);
    expect(await items()).toHaveLength(0);
  });

  it('refuses a due time longer than any date without handing it to the date parser', async () => {
    const r = await h.command(`/action add GZ-2026-001 Check records due:${'十'.repeat(3000)}`);
    expect(r.text).toBe('Due is too long: at most 100 characters.\nUsage: /action add REF TEXT [owner:@user|unit:NAME] due:WHEN');
    expect(await items()).toHaveLength(0);
    await h.command('/action add GZ-2026-001 Check records due:2026-12-04');
    const moved = await h.command(`/action due 1 ${'1二'.repeat(60)}`);
    expect(moved.text).toBe('Due is too long: at most 100 characters.\nUsage: /action due N WHEN');
    expect(longestParsed()).toBeLessThanOrEqual(INPUT_MAX.when);
    expect((await items()).map((i) => i.due_at)).toEqual([new Date('2026-12-04T09:00:00Z')]);
  });

  it('still reads a due time of the longest accepted length', async () => {
    const when = `2026-12-04 17:00${' '.repeat(INPUT_MAX.when - 16)}`;
    const r = await h.command(`/action add GZ-2026-001 Check records due:${when}`);
    expect(r.text).toContain('due *2026-12-04 17:00 (Asia/Shanghai)*');
  });

  it('caps every date a case command reads: status times, money dates, edited dates', async () => {
    const long = '十'.repeat(500);
    const status = await h.command(`/case status GZ-2026-001 located ${long}`);
    expect(status.text).toBe('When is too long: at most 100 characters.\nUsage: /case status REF open|located|in custody|on hold [WHEN] [region:REGION] [city:CITY]');
    const since = await h.command(`/case edit GZ-2026-001 since ${long}`);
    expect(since.text).toContain('At large since is too long: at most 100 characters.');
    const close = await h.command(`/case close GZ-2026-001 returned date:${long}`);
    expect(close.text).toContain('When is too long: at most 100 characters.');
    const money = await h.command(`/case money GZ-2026-001 recovered ${'1'.repeat(41)}`);
    expect(money.text).toBe('Amount is too long: at most 40 characters.\nUsage: /case money REF [correct] involved|frozen|recovered AMOUNT [CURRENCY] [DATE] [note] | /case money REF');
    const unit = await h.command(`/case list unit:${'P'.repeat(81)}`);
    expect(unit.text).toContain('Origin unit is too long: at most 80 characters.');
    expect(longestParsed()).toBeLessThanOrEqual(INPUT_MAX.when);
    const [c] = await h.db.selectFrom('cases').selectAll().execute();
    expect(c).toMatchObject({ status: 'open', at_large_since: null });
  });

  it('caps the dates and amount of a submitted form, whatever the form allowed', async () => {
    const r = await h.command('/case open');
    const view = h.openedView(r.triggerId);
    // A forged submission: Slack's own max_length never applied.
    const res = await h.submit(view, { title: 'Forged', opened: '十'.repeat(3000), since: '2019-01-01', amount: '9'.repeat(1000) });
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { opened: 'Opened on is too long: at most 100 characters.', amount: 'Amount is too long: at most 40 characters.' },
    });
    expect(longestParsed()).toBeLessThanOrEqual(INPUT_MAX.when);
    expect(await h.db.selectFrom('cases').selectAll().execute()).toHaveLength(1);
  });

  it('refuses any command longer than 4,000 characters with its usage line', async () => {
    const r = await h.command(`/docket units add ${'x'.repeat(4001)}`);
    expect(r.text).toContain('That command is too long');
    expect(r.text).toContain('Usage: /docket help | setup | settings | units | members');
    // A note at its own limit still fits in one command.
    const note = await h.command(`/case note GZ-2026-001 ${'長'.repeat(2900)}`);
    expect(note.text).toBe('Note added to *GZ-2026-001*.');
  });
});
