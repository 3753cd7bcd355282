import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal, formatInstant, todayIn } from '../../src/domain/time.js';
import { DemoRefused, awaitEscalation, runDemo } from '../../src/local/demo/driver.js';
import type { FakeMessage } from '../../src/slack/fake/fake-slack.js';
import { launchBrowser, message, openAs, pageProblems, shot, type } from '../helpers/browser.js';
import { LocalApp } from '../helpers/local-app.js';
import { RunningClock, advanceTo, sh } from '../helpers/reminders.js';
import { until } from '../helpers/wait.js';

// Real time while the demo runs, as under `npm start`; the test moves it on afterwards to see
// the reminders the demo's items are owed.
const clock = new RunningClock();
let demoDay: string;
let demoHour: number;
let app: LocalApp;
let browser: Browser;
let refs: Record<string, string>;
beforeAll(async () => {
  [app, browser] = await Promise.all([LocalApp.start({ clock }), launchBrowser()]);
  // The demo dates its items from its own day; "tomorrow" below is the day after it, even if
  // the test crosses midnight in Shanghai (16:00 UTC) meanwhile.
  demoDay = todayIn('Asia/Shanghai', clock.now());
  demoHour = Number(formatInstant(clock.now(), 'Asia/Shanghai').slice(11, 13));
  refs = await runDemo(app.url);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const kindOf = (m: FakeMessage) => String(m.metadata?.event_payload?.kind ?? '');
const postsOf = (kind: string, channel?: string) => app.fake.messages.filter((m) => kindOf(m) === kind && (!channel || m.channel === channel));

/** The README's account of the demo: the paragraph under "## Demo data". */
function readmeDemoText(): string {
  const readme = readFileSync('README.md', 'utf8');
  const text = /^## Demo data\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!text) throw new Error('README.md has no "## Demo data" section');
  return text.replace(/\s+/g, ' ');
}

const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

describe('npm run demo', () => {
  it('fills #fugitive-recovery with the reference cases through the real endpoint; an escalation and reminders follow; a second run is refused', async () => {
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
    // How long each was at large, as docket counts it, is what the demo's own notes say ("22 and
    // a half years" for 22 years 6 months), within a season.
    const atLarge = announced.map((m) => /returned after (.*) at large/.exec(m.text ?? '')?.[1]);
    expect(atLarge).toEqual(['16 years 8 months', '22 years 6 months', '4 days']);
    const notes = await sql<{ ref: string; note: string }>`
      select c.ref, a.after->>'note' as note from audit_events a join cases c on c.id = a.case_id where a.kind = 'case.closed' order by c.ref`.execute(app.db);
    for (const [i, { ref, note }] of notes.rows.entries()) {
      const said = /(\d+)( and a half)? years/.exec(note);
      const counted = /(\d+) years?(?: (\d+) months?)?/.exec(atLarge[i]!);
      if (said) expect(Math.abs(Number(said[1]) + (said[2] ? 0.5 : 0) - (Number(counted?.[1] ?? 0) + Number(counted?.[2] ?? 0) / 12)), `${ref}: ${note}`).toBeLessThan(0.25);
    }
    expect(notes.rows.filter((r) => /years/.test(r.note))).toHaveLength(1);

    // Action items on Zhou: some already overdue, one done through its Done button, one due in two minutes.
    const items = await sql<{ seq: number; text: string; state: string; overdue: boolean; owner: string | null; unit: string | null }>`
      select i.seq, i.text, i.state, i.due_at < now() as overdue, i.owner_user_id as owner, u.name as unit
      from action_items i left join units u on u.id = i.owner_unit_id order by i.id`.execute(app.db);
    expect(items.rows.map((r) => [r.seq, r.state, r.overdue, r.owner ?? r.unit])).toEqual([
      [1, 'open', true, 'U0BAO'],
      [2, 'open', true, 'Procuratorate'],
      [3, 'open', false, 'U0CARLOS'],
      [4, 'open', false, 'U0BAO'],
      [5, 'done', false, 'U0ALICE'],
      [6, 'open', false, 'U0BAO'],
    ]);
    // Owners are told of their new items by direct message (the Procuratorate's through carlos, its contact).
    await until(() => postsOf('item.assigned').length >= 5);
    expect(postsOf('item.assigned').map((m) => `${m.channel} ${/#\d+/.exec(m.text ?? '')?.[0]}`).sort()).toEqual(['D0BAO #1', 'D0BAO #4', 'D0BAO #6', 'D0CARLOS #2', 'D0CARLOS #3']);

    // #1 was due four days ago at 17:00 (3 days 7 hours to 4 days 7 hours overdue, by the time of
    // day the demo runs), past the 3 days after which an item escalates: the group channel hears
    // of it at once, calling on Zhou's supervisor and the coordinators.
    const escalation = await awaitEscalation(app.url);
    expect(escalation).toMatch(/^:rotating_light: Escalation: #1 on GZ-2018-003 is overdue by [34] days/);
    const [escalated] = postsOf('item.escalation');
    expect(escalated!.channel).toBe('C0GROUP');
    expect(escalated!.text).toContain('<@U0DANA> <@U0ALICE>');
    expect(postsOf('item.escalation')).toHaveLength(1);

    // The README's screenshot (docs/local-workspace.png) is a copy of this one.
    const page = await openAs(browser, app.url, 'alice');
    await type(page, '/case show GZ-2018-003');
    const card = await message(page, 'GZ-2018-003 · Zhou, still at large');
    expect(await card.locator('.mention').first().textContent()).toBe('@dana');
    await card.getByText('escalated #1').waitFor();
    await shot(page, 'demo-zhou-card');
    expect(pageProblems(page)).toEqual([]);
    await page.close();

    const before = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app.db);
    await expect(runDemo(app.url)).rejects.toBeInstanceOf(DemoRefused);
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);

    // Reminders follow: bao hears of #6 at its due time, two minutes on…
    const [six] = await sql<{ due_at: Date }>`select due_at from action_items where seq = 6`.execute(app.db).then((r) => r.rows);
    await advanceTo(app, clock, six!.due_at);
    const due = await until(() => postsOf('item.due', 'D0BAO')[0]);
    expect(due.text).toContain('#6');
    // …and at 09:00 the next day the owners of the overdue items are reminded of them, while
    // bao hears that #4 (due at 10:00) is due in an hour; a demo run before 10:00 also gave
    // him the day-before reminder meanwhile (one entered later had its time already past).
    const tomorrow = Temporal.PlainDate.from(demoDay).add({ days: 1 }).toString();
    await advanceTo(app, clock, sh(`${tomorrow}T09:00:00`));
    await until(() => postsOf('item.overdue').length >= 2 && postsOf('item.before').length >= 1);
    expect(postsOf('item.overdue').map((m) => `${m.channel} ${/#\d+/.exec(m.text ?? '')?.[0]}`).sort()).toEqual(['D0BAO #1', 'D0CARLOS #2']);
    const ahead = postsOf('item.before').map((m) => `${m.channel} ${/#\d+/.exec(m.text ?? '')?.[0]}`);
    expect(ahead).toEqual(demoHour < 10 ? ['D0BAO #4', 'D0BAO #4'] : ['D0BAO #4']);
  });

  it("tells the README's story: as many cases, and the amounts and dates it gives", async () => {
    const text = readmeDemoText();
    const count = /\b(\w+) cases:/.exec(text)?.[1];
    const cases = await sql<{ title: string; in_custody_at: Date | null }>`select title, in_custody_at from cases`.execute(app.db);
    expect(NUMBERS.indexOf(count ?? '')).toBe(cases.rows.length);
    const totals = await sql<{ name: string; kind: string; total: string }>`
      select split_part(c.title, ',', 1) as name, m.kind, sum(m.amount)::bigint::text as total
      from money_entries m join cases c on c.id = m.case_id group by 1, 2`.execute(app.db);
    const described = [...text.matchAll(/\b(Zhang|Zhong|Liu|Zhou) \(([^)]*)\)/g)];
    expect(described.map((d) => d[1])).toEqual(['Zhang', 'Zhong', 'Liu', 'Zhou']);
    for (const [, name, about] of described) {
      // "¥70,000 recovered": every amount the README gives is the case's total of that kind…
      const said = [...about!.matchAll(/¥([\d,]+) (involved|frozen|recovered)/g)].map(([, n, kind]) => `${kind} ${n!.replace(/,/g, '')}`);
      const recorded = totals.rows.filter((t) => t.name === name).map((t) => `${t.kind} ${t.total}`);
      // …and every total the case has is in the README.
      expect(said.sort(), name).toEqual(recorded.sort());
      // "caught 2019-09-22 07:24": when the subject was taken into custody.
      const caught = /caught (\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?/.exec(about!);
      const row = cases.rows.find((c) => c.title.startsWith(`${name},`));
      if (caught) expect(row?.in_custody_at?.toISOString(), name).toBe(sh(`${caught[1]}T${caught[2] ?? '00:00'}:00`).toISOString());
    }
  });
});
