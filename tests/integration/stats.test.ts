import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { openNow } from '../../src/services/stats.service.js';
import { useHarness, type CommandResult } from '../helpers/harness.js';

const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true });

/** The reply's sections, one string each. */
const sections = (r: CommandResult): string[] => (r.reply?.args.blocks ?? []).map((b: { text: { text: string } }) => b.text.text);

async function close(ref: string, rest: string): Promise<void> {
  const ask = await h.command(`/case close ${ref} ${rest}`);
  const button = ask.reply?.args.blocks?.[1]?.elements?.[0];
  if (!button) throw new Error(`close of ${ref} was refused: ${ask.text}`);
  const done = await h.click(button.action_id, button.value);
  expect(done.text).toContain(`*${ref}*`);
}

async function open(text: string, ref: string): Promise<void> {
  expect((await h.command(`/case open ${text}`)).text).toContain(`Opened *${ref}*`);
}

async function money(text: string): Promise<void> {
  expect((await h.command(`/case money ${text}`)).text).toMatch(/^(Recorded|Corrected) on/);
}

/**
 * The office of DOMAIN.md's report, typed in through the bot in November 2021: formed in 2018,
 * returns 2019: 1, 2020: 2, 2021: 5 (eight people from six provinces), Liu caught within five
 * days, money dated when it moved (some typed in long after), one case still open.
 */
async function referenceScenario(): Promise<void> {
  await open('Zhang opened:2018-06-01 since:2003-06-01 unit:Police', 'GZ-2018-001');
  await open('Zhong, film company manager opened:2018-06-01 since:1997-11-01 unit:Police', 'GZ-2018-002');
  await open('Zhou opened:2018-07-01 since:2015-03-01 unit:Procuratorate', 'GZ-2018-003');
  await open('Wang opened:2018-08-01 since:2012-04-01 unit:Procuratorate', 'GZ-2018-004');
  await open('Liu, township deputy secretary opened:2019-01-02 since:2019-01-01', 'GZ-2019-001');
  await open('Chen opened:2020-02-01 since:2016-05-01 unit:Police', 'GZ-2020-001');
  await open('Huang opened:2020-02-01 since:2019-07-01', 'GZ-2020-002');
  await open('Li opened:2021-01-10 since:2020-12-20', 'GZ-2021-001');
  await open('Ma opened:2021-01-10 since:2011-01-01', 'GZ-2021-002');
  // The flight's date unknown: at large counts from the opening day.
  await open('Sun opened:2021-03-01', 'GZ-2021-003');

  // 2019: Zhang returned from Chongqing; Liu caught within five days, closed as other, no place given.
  expect((await h.command('/case status GZ-2018-001 in custody 2019-09-22 07:24 region:Chongqing city:"Yubei District"')).text).toContain('in custody');
  await close('GZ-2018-001', 'returned 2019-09-22 16:00 detained by Danba');
  await money('GZ-2019-001 frozen 28万 2019-01-03 bank accounts');
  await money('GZ-2019-001 recovered 170,000 2019-01-05');
  await close('GZ-2019-001', 'other 2019-01-05 solved within five days');
  // 2020: Zhong from Lhasa after 23 years, Zhou from Shanghai; Zhou's dollars typed in now, dated 2020.
  expect((await h.command('/case status GZ-2018-002 in custody 2020-05-10 region:Tibet city:Lhasa')).text).toContain('in custody');
  await close('GZ-2018-002', 'returned 2020-05-12');
  await money('GZ-2018-002 recovered 70,000 2020-05-20');
  await close('GZ-2018-003', 'returned 2020-09-15 region:Shanghai');
  await money('GZ-2018-003 recovered 1,000 USD 2020-12-31');
  // 2021: five, Chen's half an hour into the new year in Shanghai (still 2020 in UTC).
  await close('GZ-2020-001', 'returned 2021-01-01 00:30 region:Sichuan city:Chengdu');
  await money('GZ-2020-001 recovered 500,000 2021-03-10');
  await close('GZ-2020-002', 'returned 2021-06-02 region:sichuan');
  await money('GZ-2021-001 frozen 50,000 2021-02-01');
  await close('GZ-2021-001', 'returned 2021-07-07 region:Yunnan');
  await money('GZ-2021-002 recovered 60,000 2021-08-01');
  await money('GZ-2021-002 correct recovered -3,600 2021-08-02 the bank returned part');
  await close('GZ-2021-002', 'returned 2021-09-09 region:Guangdong');
  await close('GZ-2021-003', 'surrendered 2021-10-10 region:Sichuan');
}

const EN = {
  title: '*Statistics of Ganzi Office*, each figure counted in the year it happened',
  y2018: '*2018*\nOpened: 4',
  y2019: [
    '*2019*',
    'Opened: 1 · Closed: 2 (returned 1, other 1)',
    'Found in: Chongqing (1), place not recorded (1)',
    'Recovered: CN¥170,000.00 · Frozen: CN¥280,000.00',
    'Median time at large: 16 years 3 months (1 subject returned or surrendered)',
  ].join('\n'),
  y2020: [
    '*2020*',
    'Opened: 2 · Closed: 2 (returned 2)',
    'Found in: Shanghai (1), Tibet (1)',
    'Recovered: CN¥70,000.00, $1,000.00',
    'Median time at large: 14 years (2 subjects returned or surrendered)',
  ].join('\n'),
  y2021: [
    '*2021*',
    'Opened: 3 · Closed: 5 (returned 4, surrendered 1)',
    'Found in: Sichuan (3), Guangdong (1), Yunnan (1)',
    'Recovered: CN¥556,400.00 · Frozen: CN¥50,000.00',
    'Median time at large: 1 year 11 months (5 subjects returned or surrendered)',
  ].join('\n'),
  total: [
    '*Total since the first case, opened 2018-06-01*',
    'Opened: 10 · Closed: 9 (returned 7, surrendered 1, other 1)',
    'Found in: Sichuan (3), Chongqing (1), Guangdong (1), Shanghai (1), Tibet (1), Yunnan (1), place not recorded (1)',
    'Recovered: CN¥796,400.00, $1,000.00 · Frozen: CN¥330,000.00',
    'Median time at large: 5 years 1 month (8 subjects returned or surrendered)',
  ].join('\n'),
  now: '*Now*\nOpen cases: 1, against a target of zero\nBy unit: Procuratorate (1)\nBy time at large: 5–10 years (1)',
};

describe('/docket stats on the reference scenario', () => {
  it('shows every year side by side, then the total since the first case and the open cases now', async () => {
    await referenceScenario();
    const r = await h.command('/docket stats');
    expect(r.text).toBe(EN.title);
    expect(sections(r)).toEqual([EN.title, EN.y2018, EN.y2019, EN.y2020, EN.y2021, EN.total, EN.now]);
  });

  it('shows one year’s figures with YEAR, counted by the date of each fact, and the open cases now', async () => {
    await referenceScenario();
    expect(sections(await h.command('/docket stats 2020'))).toEqual([EN.title, EN.y2020, EN.now]);
    expect(sections(await h.command('/docket stats 2021'))).toEqual([EN.title, EN.y2021, EN.now]);
  });

  it('answers a Chinese reader in Chinese, with Chinese punctuation and the reader’s money format', async () => {
    await referenceScenario();
    const r = await h.command('/docket stats', { user: 'U0BAO' });
    expect(sections(r)).toEqual([
      '*Ganzi Office 统计*，各项按发生年份计',
      '*2018 年*\n立案：4 件',
      ['*2019 年*', '立案：1 件 · 结案：2 件（追回 1、其他 1）', '查获地点：Chongqing（1）、未记录地点（1）', '追回资金：¥170,000.00 · 冻结资金：¥280,000.00', '在逃时间中位数：16 年 3 个月（追回或投案 1 人）'].join('\n'),
      ['*2020 年*', '立案：2 件 · 结案：2 件（追回 2）', '查获地点：Shanghai（1）、Tibet（1）', '追回资金：¥70,000.00、US$1,000.00', '在逃时间中位数：14 年（追回或投案 2 人）'].join('\n'),
      ['*2021 年*', '立案：3 件 · 结案：5 件（追回 4、投案 1）', '查获地点：Sichuan（3）、Guangdong（1）、Yunnan（1）', '追回资金：¥556,400.00 · 冻结资金：¥50,000.00', '在逃时间中位数：1 年 11 个月（追回或投案 5 人）'].join('\n'),
      [
        '*自首案立案（2018-06-01）以来合计*',
        '立案：10 件 · 结案：9 件（追回 7、投案 1、其他 1）',
        '查获地点：Sichuan（3）、Chongqing（1）、Guangdong（1）、Shanghai（1）、Tibet（1）、Yunnan（1）、未记录地点（1）',
        '追回资金：¥796,400.00、US$1,000.00 · 冻结资金：¥330,000.00',
        '在逃时间中位数：5 年 1 个月（追回或投案 8 人）',
      ].join('\n'),
      '*当前*\n未结案件：1 件，目标为清零\n按单位：Procuratorate（1）\n按在逃时间：5–10 年（1）',
    ]);
    expect(sections(await h.command('/docket stats 2019年', { user: 'U0BAO' }))[1]).toBe(
      '*2019 年*\n立案：1 件 · 结案：2 件（追回 1、其他 1）\n查获地点：Chongqing（1）、未记录地点（1）\n追回资金：¥170,000.00 · 冻结资金：¥280,000.00\n在逃时间中位数：16 年 3 个月（追回或投案 1 人）',
    );
  });

  it('gives the open count at a past instant for the digest: by when things happened, a reopened case closed until its reopening', async () => {
    await referenceScenario();
    const group = await h.db.selectFrom('groups').select(['id', 'time_zone']).executeTakeFirstOrThrow();
    // The first moment of 2021 in Shanghai: Wang, Huang and Chen (closed half an hour later) were open.
    expect(await openNow(h.db, group, new Date('2021-01-01T00:00:00+08:00'))).toEqual({ open: 1, cases: 10, firstOpenedOn: '2018-06-01', openAtSince: 3 });
    expect((await h.command('/case reopen GZ-2018-001 he was released by mistake')).text).toBe('Reopened *GZ-2018-001*.');
    // On 2021-06-01: Wang, Huang, Li, Ma, Sun; Zhang was closed then, whatever he is now.
    expect(await openNow(h.db, group, new Date('2021-06-01T00:00:00+08:00'))).toMatchObject({ open: 2, openAtSince: 5 });
    expect(await openNow(h.db, group)).toMatchObject({ open: 2, openAtSince: null });
  });
});

describe('/docket stats', () => {
  it('counts open cases by unit and by years at large, boundaries included', async () => {
    await open('A opened:2021-11-01 unit:Police', 'GZ-2021-001');
    await open('B opened:2021-01-01 since:2020-06-01 unit:Police', 'GZ-2021-002');
    await open('C opened:2019-01-01 since:2018-11-12', 'GZ-2019-001');
    await open('D opened:2019-01-01 since:2011-11-12 unit:Procuratorate', 'GZ-2019-002');
    await open('E opened:2019-01-01 since:2011-11-13', 'GZ-2019-003');
    const now = sections(await h.command('/docket stats')).at(-1);
    expect(now).toBe(
      '*Now*\nOpen cases: 5, against a target of zero\nBy unit: Police (2), no unit (2), Procuratorate (1)\nBy time at large: under 1 year (1), 1–2 years (1), 2–5 years (1), 5–10 years (1), 10 years or more (1)',
    );
    expect(sections(await h.command('/docket stats', { user: 'U0BAO' })).at(-1)).toBe(
      '*当前*\n未结案件：5 件，目标为清零\n按单位：Police（2）、未指定单位（2）、Procuratorate（1）\n按在逃时间：不足 1 年（1）、1–2 年（1）、2–5 年（1）、5–10 年（1）、10 年及以上（1）',
    );
  });

  it('says so for a year with nothing in it, and for a group without cases', async () => {
    await open('Zhang opened:2018-06-01 since:2003-06-01', 'GZ-2018-001');
    expect(sections(await h.command('/docket stats 2016'))).toEqual([
      EN.title,
      '*2016*\nNothing happened in 2016: no case opened or closed, no money recorded.',
      '*Now*\nOpen cases: 1, against a target of zero\nBy unit: no unit (1)\nBy time at large: 10 years or more (1)',
    ]);
    await h.reset();
    await h.setupGroup();
    expect(sections(await h.command('/docket stats'))).toEqual([EN.title, 'No cases yet: the figures start with the first `/case open`.']);
    expect(sections(await h.command('/docket stats 2021'))).toEqual([EN.title, '*2021*\nNothing happened in 2021: no case opened or closed, no money recorded.', '*Now*\nOpen cases: none, the target of zero is met']);
  });

  it('refuses a YEAR that is not one, with the usage line', async () => {
    expect((await h.command('/docket stats 20x6')).text).toBe('“20x6” is not a year: type four digits, e.g. `/docket stats 2021`.\nUsage: /docket stats [YEAR]');
    expect((await h.command('/docket stats 2021 extra')).text).toBe('I don’t understand “extra”.\nUsage: /docket stats [YEAR]');
    expect((await h.command('/docket stats 20x6', { user: 'U0BAO' })).text).toBe('“20x6”不是年份：请输入四位数字，如 `/docket stats 2021`。\n用法：/docket stats [年份]');
  });

  it('is read by members and observers, and by nobody outside the group', async () => {
    await open('Zhang opened:2018-06-01', 'GZ-2018-001');
    expect(sections(await h.command('/docket stats', { user: 'U0DANA' }))[1]).toBe('*2018*\nOpened: 1');
    const outsider = await h.command('/docket stats', { user: 'U0EVE' });
    expect(outsider.text).toBe('You are not a member of *Ganzi Office*. A coordinator can add you with `/docket members add @you`.');
    expect(outsider.reply?.args.blocks).toBeUndefined();
  });

  it('is listed in /docket help', async () => {
    expect((await h.command('/docket help')).text).toContain('`/docket stats [YEAR]`: per year, cases opened and closed by outcome');
    expect((await h.command('/docket help', { user: 'U0BAO' })).text).toContain('`/docket stats [年份]`：按年统计');
  });
});
