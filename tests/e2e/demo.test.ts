import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoRefused, runDemo } from '../../src/local/demo/driver.js';
import { launchBrowser, message, openAs, pageProblems, shot, type } from '../helpers/browser.js';
import { LocalApp } from '../helpers/local-app.js';
import { until } from '../helpers/wait.js';

let app: LocalApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([LocalApp.start(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('npm run demo', () => {
  it('fills #fugitive-recovery with the reference cases through the real endpoint, and refuses a second run', async () => {
    const refs = await runDemo(app.url);
    expect(refs).toEqual({ zhang: 'GZ-2018-001', zhong: 'GZ-2018-002', liu: 'GZ-2019-001', zhou: 'GZ-2018-003' });

    const cases = await sql<{ ref: string; status: string; outcome: string | null; at_large_since: string | null; supervisor_user_id: string | null }>`
      select ref, status, outcome, at_large_since::text, supervisor_user_id from cases order by ref`.execute(app.db);
    expect(cases.rows).toEqual([
      { ref: 'GZ-2018-001', status: 'closed', outcome: 'returned', at_large_since: '2003-01-01', supervisor_user_id: null },
      { ref: 'GZ-2018-002', status: 'closed', outcome: 'returned', at_large_since: '1997-11-01', supervisor_user_id: null },
      { ref: 'GZ-2018-003', status: 'open', outcome: null, at_large_since: null, supervisor_user_id: 'U0DANA' },
      { ref: 'GZ-2019-001', status: 'closed', outcome: 'returned', at_large_since: '2019-01-01', supervisor_user_id: null },
    ]);
    const money = await sql<{ ref: string; kind: string; total: string }>`
      select c.ref, m.kind, sum(m.amount)::numeric(20,2)::text as total from money_entries m join cases c on c.id = m.case_id group by 1, 2 order by 1, 2`.execute(app.db);
    expect(money.rows).toEqual([
      { ref: 'GZ-2018-002', kind: 'involved', total: '70000.00' },
      { ref: 'GZ-2018-002', kind: 'recovered', total: '70000.00' },
      { ref: 'GZ-2019-001', kind: 'frozen', total: '280000.00' },
      { ref: 'GZ-2019-001', kind: 'recovered', total: '170000.00' },
    ]);
    const zhang = await sql<{ at: Date }>`select in_custody_at as at from cases where ref = 'GZ-2018-001'`.execute(app.db);
    expect(zhang.rows[0]!.at.toISOString()).toBe('2019-09-21T23:24:00.000Z'); // 07:24 in Chongqing
    // Returns are announced; the announcement never carries the title or the subject's name.
    // Posts leave through the outbox after each command: wait for the three announcements.
    const announced = await until(() => {
      const found = app.fake.messages.filter((m) => m.channel === 'C0ANNOUNCE');
      return found.length >= 3 && found;
    });
    expect(announced).toHaveLength(3);
    expect(announced.map((m) => m.text).join(' ')).not.toMatch(/Zhang|张/);

    // Action items on Zhou: some already overdue, one done through its Done button.
    const items = await sql<{ text: string; state: string; overdue: boolean; owner: string | null; unit: string | null }>`
      select i.text, i.state, i.due_at < now() as overdue, i.owner_user_id as owner, u.name as unit
      from action_items i left join units u on u.id = i.owner_unit_id order by i.id`.execute(app.db);
    expect(items.rows.map((r) => [r.state, r.overdue, r.owner ?? r.unit])).toEqual([
      ['open', true, 'U0BAO'],
      ['open', true, 'Procuratorate'],
      ['open', false, 'U0CARLOS'],
      ['open', false, 'U0BAO'],
      ['done', false, 'U0ALICE'],
    ]);

    const before = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app.db);
    await expect(runDemo(app.url)).rejects.toBeInstanceOf(DemoRefused);
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);

    const page = await openAs(browser, app.url, 'alice');
    await type(page, '/case show GZ-2018-003');
    const card = await message(page, 'GZ-2018-003 · Zhou, still at large');
    expect(await card.locator('.mention').first().textContent()).toBe('@dana');
    await shot(page, 'demo-zhou-card');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
