import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

// The report's date: 2021-11-12 16:22 in Sichuan.
const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock, group: true, workers: true, env: { SLACK_CHANNEL_INTERVAL_MS: '50' } });

const cases = () => h.db.selectFrom('cases').selectAll().orderBy('id').execute();
const events = (kind?: string) =>
  h.db
    .selectFrom('audit_events')
    .selectAll()
    .$if(kind !== undefined, (q) => q.where('kind', '=', kind!))
    .orderBy('id')
    .execute();

describe('/case open', () => {
  it('takes the dates and unit the form takes: the reference follows the year it was opened', async () => {
    const r = await h.command('/case open Zhong, film company manager opened:2019-03-01 since:1997-11 unit:Police');
    expect(r.text).toBe('Opened *GZ-2019-001*: Zhong, film company manager');
    const [c] = await cases();
    const police = await h.db.selectFrom('units').select('id').where('name', '=', 'Police').executeTakeFirstOrThrow();
    expect(c).toMatchObject({ ref: 'GZ-2019-001', title: 'Zhong, film company manager', opened_on: '2019-03-01', at_large_since: '1997-11-01', origin_unit_id: police.id });
    // A date in the future, or a unit the group does not have, is refused with the usage line; nothing is opened.
    expect((await h.command('/case open Liu opened:2030-01-01')).text).toContain('/case open [TITLE [opened:DATE]');
    expect((await h.command('/case open Liu unit:Customs')).text).toContain('There is no unit called');
    expect(await cases()).toHaveLength(1);
  });

  it('replies with the new reference, posts to the group channel and records the opening in the timeline', async () => {
    const r = await h.command('/case open Zhang, at large since 2003');
    expect(r.text).toBe('Opened *GZ-2021-001*: Zhang, at large since 2003');
    const [c] = await cases();
    expect(c).toMatchObject({ ref: 'GZ-2021-001', title: 'Zhang, at large since 2003', status: 'open', opened_on: '2021-11-12', created_by: 'U0ALICE' });
    const posts = await h.settledPosts('C0GROUP');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.text).toContain('GZ-2021-001');
    const [opened] = await events('case.opened');
    expect(opened).toMatchObject({ case_id: c!.id, actor_user_id: 'U0ALICE' });
  });

  it('numbers 20 concurrent opens 001 to 020 with no gap and no duplicate', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => h.command(`/case open Concurrent ${i}`, { user: i % 2 ? 'U0BAO' : 'U0CARLOS' })));
    const refs = (await cases()).map((c) => c.ref).sort();
    expect(refs).toEqual(Array.from({ length: 20 }, (_, i) => `GZ-2021-${String(i + 1).padStart(3, '0')}`));
  });

  it('starts a new sequence each year, taken from the opening date', async () => {
    await h.command('/case open This year');
    const open = await h.command('/case open Historic');
    expect(open.text).toContain('GZ-2021-002');
    await h.command('/case edit GZ-2021-002 opened 2019-03-01');
    // The reference stays what it was; only new cases take the year of their opening date.
    expect((await cases()).map((c) => c.ref)).toEqual(['GZ-2021-001', 'GZ-2021-002']);
  });

  it('opens one case and posts once when Slack retries the same request', async () => {
    const first = await h.command('/case open Retried');
    const retry = await h.command('/case open Retried', { triggerId: first.triggerId, retryNum: 1 });
    expect(retry.status).toBe(200);
    expect(await cases()).toHaveLength(1);
    expect(await h.settledPosts('C0GROUP')).toHaveLength(1);
  });

  it('keeps Chinese text exactly as typed, and answers a zh-CN user in Chinese', async () => {
    const title = '张某某案：挪用公款7万元，1997年11月外逃 😀';
    const r = await h.command(`/case open ${title}`, { user: 'U0BAO' });
    expect(r.text).toBe(`已立案 *GZ-2021-001*：${title}`);
    await h.command('/case note GZ-2021-001 与上海市公安机关会商，研判抓捕方案', { user: 'U0BAO' });
    const [c] = await cases();
    expect(c!.title).toBe(title);
    const [note] = await events('case.note');
    expect(note!.after).toEqual({ text: '与上海市公安机关会商，研判抓捕方案' });
    const show = await h.command('/case show GZ-2021-001', { user: 'U0BAO' });
    expect(JSON.stringify(show.reply!.args.blocks)).toContain('与上海市公安机关会商');
    expect(JSON.stringify(show.reply!.args.blocks)).toContain('状态');
  });
});

describe('limits', () => {
  it('refuses text longer than Slack can show, naming the field and the limit, and writes nothing', async () => {
    const long = (await h.command(`/case open ${'長'.repeat(151)}`)).text;
    expect(long).toBe('Title is too long: at most 150 characters.\nUsage: /case open [TITLE [opened:DATE] [since:DATE] [unit:NAME]]');
    expect(await cases()).toHaveLength(0);
    await h.command('/case open Short');
    const note = await h.command(`/case note GZ-2021-001 ${'x'.repeat(2901)}`);
    expect(note.text).toContain('Note is too long: at most 2900 characters.');
    expect(await events('case.note')).toHaveLength(0);
    // Exactly at the limit is fine, and counted in characters, not UTF-16 units.
    expect((await h.command(`/case open ${'😀'.repeat(150)}`)).text).toContain('Opened *GZ-2021-002*');
  });
});

describe('/case list and show', () => {
  it('lists supervised cases first, then the oldest first, and hides closed cases by default', async () => {
    await h.command('/case open Newer');
    await h.command('/case open Oldest');
    await h.command('/case open Supervised');
    await h.command('/case open Closed one');
    await h.command('/case edit GZ-2021-002 opened 2018-05-01');
    await h.command('/case supervise GZ-2021-003 <@U0ALICE|alice>');
    await h.db.updateTable('cases').set({ status: 'closed', outcome: 'withdrawn' }).where('ref', '=', 'GZ-2021-004').execute();
    const list = await h.command('/case list');
    const text = JSON.stringify(list.reply!.args.blocks);
    const order = ['GZ-2021-003', 'GZ-2021-002', 'GZ-2021-001'].map((ref) => text.indexOf(ref));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).not.toContain('GZ-2021-004');
    expect((await h.command('/case list closed')).reply!.args.blocks[0].text.text).toContain('(1)');
    expect((await h.command('/case list all')).reply!.args.blocks[0].text.text).toContain('(4)');
    expect((await h.command('/case list supervised')).reply!.args.blocks[0].text.text).toContain('(1)');
  });

  it('filters the ledger by origin unit', async () => {
    await h.command('/case open Police case');
    await h.command('/case open Other case');
    await h.command('/case edit GZ-2021-001 unit police');
    const text = JSON.stringify((await h.command('/case list unit:Police')).reply!.args.blocks);
    expect(text).toContain('GZ-2021-001');
    expect(text).not.toContain('GZ-2021-002');
  });

  it('shows how long the subject was at large, up to the arrest', async () => {
    await h.command('/case open Zhang');
    await h.command('/case edit GZ-2021-001 opened 2019-03-01');
    await h.command('/case edit GZ-2021-001 since 2003-06-01');
    await h.command('/case status GZ-2021-001 in custody 2019-09-22 07:24');
    const card = JSON.stringify((await h.command('/case show GZ-2021-001')).reply!.args.blocks);
    expect(card).toContain('16 years 3 months');
    expect(card).toContain('in custody since 2019-09-22 07:24');
  });

  it('counts at large time up to today while the subject is still at large', async () => {
    await h.command('/case open Still at large');
    await h.command('/case edit GZ-2021-001 since 2019-01-01');
    expect(JSON.stringify((await h.command('/case show GZ-2021-001')).reply!.args.blocks)).toContain('2 years 10 months');
  });
});

describe('working a case', () => {
  beforeEach(async () => {
    await h.command('/case open Liu, township deputy secretary');
  });

  it('keeps every plan version in the timeline', async () => {
    expect((await h.command('/case plan GZ-2021-001 Check exit-entry records')).text).toContain('version 1');
    expect((await h.command('/case plan GZ-2021-001 Freeze accounts, then approach family')).text).toContain('version 2');
    const plans = await events('case.plan');
    expect(plans.map((e) => e.after)).toEqual([
      { plan: 'Check exit-entry records', version: 1 },
      { plan: 'Freeze accounts, then approach family', version: 2 },
    ]);
    expect(plans[1]!.before).toEqual({ plan: 'Check exit-entry records', version: 1 });
  });

  it('records each status change with the time it happened, and refuses impossible ones', async () => {
    await h.command('/case edit GZ-2021-001 opened 2019-01-01');
    await h.command('/case status GZ-2021-001 located 2019-01-03 10:00');
    await h.command('/case status GZ-2021-001 in custody 2019-01-05');
    const [c] = await cases();
    expect(c!.located_at?.toISOString()).toBe('2019-01-03T02:00:00.000Z');
    expect(c!.in_custody_at?.toISOString()).toBe('2019-01-04T16:00:00.000Z');
    const bad = await h.command('/case status GZ-2021-001 on hold');
    expect(bad.text).toContain('cannot go from in custody to on hold');
    expect(bad.text).toContain('Usage:');
    expect((await events('case.status')).map((e) => e.after)).toEqual([
      { status: 'located', at: '2019-01-03T02:00:00.000Z' },
      { status: 'in_custody', at: '2019-01-04T16:00:00.000Z' },
    ]);
  });

  it('totals money exactly per kind and currency', async () => {
    await h.command('/case money GZ-2021-001 involved 280,000.10');
    await h.command('/case money GZ-2021-001 frozen 28万 2019-01-03 bank accounts');
    await h.command('/case money GZ-2021-001 recovered 0.10 CNY');
    await h.command('/case money GZ-2021-001 recovered 0.20');
    await h.command('/case money GZ-2021-001 recovered 169999.70');
    await h.command('/case money GZ-2021-001 recovered 1000 USD');
    const totals = await sql<{ kind: string; currency: string; total: string }>`
      select kind, currency, sum(amount)::text as total from money_entries group by 1, 2 order by 1, 2`.execute(h.db);
    expect(totals.rows).toEqual([
      { kind: 'frozen', currency: 'CNY', total: '280000.0000' },
      { kind: 'involved', currency: 'CNY', total: '280000.1000' },
      { kind: 'recovered', currency: 'CNY', total: '170000.0000' },
      { kind: 'recovered', currency: 'USD', total: '1000.0000' },
    ]);
    const card = JSON.stringify((await h.command('/case show GZ-2021-001')).reply!.args.blocks);
    expect(card).toContain('recovered: CN¥170,000.00');
    expect(card).toContain('recovered: $1,000.00');
    expect(card).toContain('frozen: CN¥280,000.00');
  });

  it('rejects amounts it cannot store exactly, with the usage line, and writes nothing', async () => {
    for (const [input, message] of [
      ['/case money GZ-2021-001 recovered 12abc', 'is not an amount'],
      ['/case money GZ-2021-001 recovered 10.001 CNY', 'at most 2 decimal places'],
      ['/case money GZ-2021-001 recovered 100.5 JPY', 'at most 0 decimal places'],
      ['/case money GZ-2021-001 stolen 100', 'is not an amount kind'],
      ['/case money GZ-2021-001 recovered 0', 'cannot be zero'],
      ['/case money GZ-2021-001 recovered 99999999999999999', 'too large'],
      ['/case money GZ-2021-001 recovered 100 2030-01-01', 'cannot be in the future'],
    ]) {
      const r = await h.command(input!);
      expect(r.text, input).toContain(message);
      expect(r.text, input).toContain('Usage: /case money');
      expect(r.reply!.args.response_type).toBe('ephemeral');
    }
    expect(await h.db.selectFrom('money_entries').selectAll().execute()).toHaveLength(0);
  });

  it('edits fields with before and after in the timeline', async () => {
    await h.command('/case edit GZ-2021-001 location Dege County');
    const r = await h.command('/case edit GZ-2021-001 location Lhasa');
    expect(r.text).toBe('Updated Last known location of *GZ-2021-001*.');
    const edits = await events('case.edited');
    expect(edits[1]).toMatchObject({ before: { last_location: 'Dege County' }, after: { last_location: 'Lhasa' } });
    expect((await h.command('/case edit GZ-2021-001 location Lhasa')).text).toContain('Nothing to change');
  });

  it('shows the whole history in order', async () => {
    await h.command('/case note GZ-2021-001 First lead');
    await h.command('/case plan GZ-2021-001 A plan');
    const r = await h.command('/case history GZ-2021-001');
    const text = JSON.stringify(r.reply!.args.blocks);
    expect(text).toContain('Timeline of GZ-2021-001* (3)');
    expect(text.indexOf('opened the case')).toBeLessThan(text.indexOf('First lead'));
    expect(text.indexOf('First lead')).toBeLessThan(text.indexOf('plan version 1'));
  });
});

describe('closing a case', () => {
  beforeEach(async () => {
    await h.command('/case open Zhong, film company manager');
    await h.command('/case edit GZ-2021-001 opened 2019-03-01');
    await h.command('/case edit GZ-2021-001 since 1997-11');
    await h.command('/case status GZ-2021-001 in custody 2020-05-10');
  });

  it('asks for confirmation first and changes nothing until confirmed', async () => {
    const r = await h.command('/case close GZ-2021-001 returned Caught in Lhasa');
    expect(r.text).toContain('Close *GZ-2021-001* as *returned* on *2021-11-12 16:22 (Asia/Shanghai)*, noting “Caught in Lhasa”?');
    const confirm = r.reply!.args.blocks[1].elements[0];
    expect(confirm.action_id).toBe('case.close.confirm');
    expect((await cases())[0]!.status).toBe('in_custody');
  });

  it('takes the date (and time) it closed ahead of the note, shows both before confirming, and records them', async () => {
    const r = await h.command('/case close GZ-2021-001 returned 2021-05-28 07:24 flown back from Lhasa');
    expect(r.text).toContain('on *2021-05-28 07:24 (Asia/Shanghai)*, noting “flown back from Lhasa”?');
    await h.click('case.close.confirm', r.reply!.args.blocks[1].elements[0].value as string);
    const [c] = await cases();
    expect(c!.closed_at).toEqual(new Date('2021-05-28T07:24:00+08:00'));
    const [closed] = await events('case.closed');
    expect(closed!.after).toMatchObject({ note: 'flown back from Lhasa', at: '2021-05-27T23:24:00.000Z' });
  });

  it('on confirmation closes the case, posts in the group channel and announces the return without the name', async () => {
    const r = await h.command('/case close GZ-2021-001 returned Caught in Lhasa');
    const value = r.reply!.args.blocks[1].elements[0].value as string;
    const done = await h.click('case.close.confirm', value);
    expect(done.text).toBe('Closed *GZ-2021-001* (returned).');
    expect(done.reply!.args.replace_original).toBe(true);
    const [c] = await cases();
    expect(c).toMatchObject({ status: 'closed', outcome: 'returned' });
    expect((await h.settledPosts('C0GROUP')).at(-1)!.args.text).toContain('closed *GZ-2021-001* (returned)');
    const announce = await h.settledPosts('C0ANNOUNCE');
    expect(announce).toHaveLength(1);
    expect(announce[0]!.args.text).toContain('GZ-2021-001');
    expect(announce[0]!.args.text).toContain('22 years 6 months');
    expect(announce[0]!.args.text).not.toContain('Zhong');
    const [closed] = await events('case.closed');
    expect(closed!.after).toMatchObject({ outcome: 'returned', note: 'Caught in Lhasa' });
  });

  it('does not announce a case closed as withdrawn', async () => {
    const r = await h.command('/case close GZ-2021-001 withdrawn');
    await h.click('case.close.confirm', r.reply!.args.blocks[1].elements[0].value);
    expect((await cases())[0]!.outcome).toBe('withdrawn');
    expect(await h.settledPosts('C0ANNOUNCE')).toHaveLength(0);
  });

  it('closes once and posts once when Confirm is clicked twice', async () => {
    const r = await h.command('/case close GZ-2021-001 surrendered');
    const value = r.reply!.args.blocks[1].elements[0].value as string;
    const [a, b] = await Promise.all([h.click('case.close.confirm', value), h.click('case.close.confirm', value)]);
    expect([a.text, b.text].sort()).toEqual(['*GZ-2021-001* is already closed.', 'Closed *GZ-2021-001* (surrendered).']);
    expect(await events('case.closed')).toHaveLength(1);
    expect(await h.settledPosts('C0ANNOUNCE')).toHaveLength(1);
  });

  it('speaks Chinese punctuation to a Chinese reader: sentences run on without a space, the zone in full-width brackets, items listed with 、', async () => {
    await h.command('/docket members set <@U0BAO|bao> role:coordinator');
    await h.command('/action add GZ-2021-001 核查银行流水 due:2021-11-20');
    await h.command('/action add GZ-2021-001 联系家属 due:2021-11-20');
    const bao = { user: 'U0BAO' };
    const r = await h.command('/case close GZ-2021-001 returned 2021-05-28 07:24 地区:重庆 城市:渝北 已押解回国', bao);
    expect(r.text).toBe('确认以“追回”结案 *GZ-2021-001*，结案时间 *2021-05-28 07:24（Asia/Shanghai）*，备注“已押解回国”？本组频道所有人都会看到。查获地点：重庆 渝北。其 2 项未完成事项将随之取消。');
    const done = await h.click('case.close.confirm', r.reply!.args.blocks[1].elements[0].value as string, bao);
    expect(done.text).toBe('已结案 *GZ-2021-001*（追回）。2 项未完成事项已随之取消。');
    expect((await h.command('/case reopen GZ-2021-001', bao)).text).toBe('已重新打开 *GZ-2021-001*。结案时取消的事项仍为取消状态（#1、#2）：如需恢复，请用 `/action reopen 编号`。');
  });

  it('reopens a closed case (coordinators only)', async () => {
    const r = await h.command('/case close GZ-2021-001 other');
    await h.click('case.close.confirm', r.reply!.args.blocks[1].elements[0].value);
    expect((await h.command('/case reopen GZ-2021-001', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    expect((await h.command('/case reopen GZ-2021-001 new evidence')).text).toBe('Reopened *GZ-2021-001*.');
    expect((await cases())[0]).toMatchObject({ status: 'open', outcome: null, closed_at: null });
  });
});

describe('the ledger records when things happened, not when they were typed', () => {
  const history = async (ref: string) => JSON.stringify((await h.command(`/case history ${ref}`)).reply!.args.blocks);
  const line = (text: string, needle: string) => text.split('\\n').find((l) => l.includes(needle)) ?? '';

  it('a backfilled case reads in the order it happened, each line dated so, and says when it was entered', async () => {
    await h.command('/case open Zhang opened:2019-03-01 since:2003-06-01');
    await h.command('/case note GZ-2019-001 Entered from the paper file');
    const custody = await h.command('/case status GZ-2019-001 in custody 2019-09-22 07:24 region:Chongqing city:"Yubei District"');
    // The reply says what it recorded: the time it happened and where.
    expect(custody.text).toBe('*GZ-2019-001*: open → in custody, recorded as of 2019-09-22 07:24 (Asia/Shanghai), found in Yubei District, Chongqing.');
    // A close dated by its day alone would fall before the 07:24 arrest: refused, and nothing changes.
    const early = await h.command('/case close GZ-2019-001 returned 2019-09-22 detained by Danba');
    expect(early.text).toContain('already records its state as of 2019-09-22 07:24');
    expect(early.text).toContain('Usage: /case close');
    const ask = await h.command('/case close GZ-2019-001 returned 2019-09-22 16:00 detained by Danba');
    expect(ask.text).toContain('on *2019-09-22 16:00 (Asia/Shanghai)*, noting “detained by Danba”?');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value as string);
    await h.command('/case money GZ-2019-001 recovered 70000 2019-10-08 first part');

    const [c] = await cases();
    expect(c).toMatchObject({ status: 'closed', closed_at: new Date('2019-09-22T08:00:00Z'), in_custody_at: new Date('2019-09-21T23:24:00Z'), found_region: 'Chongqing', found_city: 'Yubei District' });
    const text = await history('GZ-2019-001');
    const order = ['opened the case', 'in custody', 'closed it', 'recovered', 'added a note'].map((n) => text.indexOf(n));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(line(text, 'opened the case')).toMatch(/^.*2019-03-01 <@U0ALICE> opened the case _\(recorded \d{4}-\d{2}-\d{2}\)_/);
    expect(line(text, 'in custody')).toContain('2019-09-22 07:24 <@U0ALICE> changed status: open → in custody, found in Yubei District, Chongqing _(recorded');
    expect(line(text, 'closed it')).toContain('2019-09-22 16:00 <@U0ALICE> closed it (returned): detained by Danba _(recorded');
    expect(line(text, 'recovered')).toContain('2019-10-08 <@U0ALICE> recorded recovered CN¥70,000.00: first part _(recorded');
    // The note was written when it was typed: no remark.
    expect(line(text, 'added a note')).not.toContain('recorded');
    // The card agrees: closed since the time it closed, after the arrest.
    const card = JSON.stringify((await h.command('/case show GZ-2019-001')).reply!.args.blocks);
    expect(card).toContain('closed (returned) since 2019-09-22 16:00');
    expect(card).toContain('*Found in*\\nYubei District, Chongqing');
  });

  it('refuses a status dated before the case was opened, and says how to set an earlier opening', async () => {
    await h.command('/case open Liu');
    const r = await h.command('/case status GZ-2021-001 located 2019-01-03');
    expect(r.text).toContain('was opened on 2021-11-12');
    expect(r.text).toContain('/case edit GZ-2021-001 opened YYYY-MM-DD');
    expect((await cases())[0]!.status).toBe('open');
    expect(await events('case.status')).toHaveLength(0);
    // Typed in the afternoon about a morning arrest the same day: in order.
    expect((await h.command('/case status GZ-2021-001 in custody 07:30')).text).toContain('recorded as of 2021-11-12 07:30');
  });

  it('spells a region the way the group already does, so regions can be counted', async () => {
    await h.command('/case open Zhang');
    await h.command('/case open Zhou');
    await h.command('/case status GZ-2021-001 in custody 10:00 region:Sichuan city:Chengdu');
    await h.command('/case status GZ-2021-002 in custody 11:00 region:sichuan');
    expect((await cases()).map((c) => [c.found_region, c.found_city])).toEqual([
      ['Sichuan', 'Chengdu'],
      ['Sichuan', null],
    ]);
    const tooLong = await h.command(`/case status GZ-2021-002 located region:${'x'.repeat(61)}`);
    expect(tooLong.text).toContain('at most 60 characters');
  });
});

describe('money entries', () => {
  beforeEach(async () => {
    await h.command('/case open Liu opened:2019-01-01');
  });

  it('shows each entry with its date and note on the card, and the rest by /case money', async () => {
    await h.command('/case money GZ-2019-001 frozen 280000 2019-01-03 bank accounts');
    await h.command('/case money GZ-2019-001 recovered 100000 2019-01-05 first transfer');
    await h.command('/case money GZ-2019-001 recovered 70000 2020-05-20');
    await h.command('/case money GZ-2019-001 recovered 5000 2020-06-01 interest');
    const card = JSON.stringify((await h.command('/case show GZ-2019-001')).reply!.args.blocks);
    expect(card).toContain('_2020-06-01 · recovered CN¥5,000.00 · interest_');
    expect(card).toContain('_2020-05-20 · recovered CN¥70,000.00_');
    expect(card).toContain('_2019-01-05 · recovered CN¥100,000.00 · first transfer_');
    expect(card).not.toContain('_2019-01-03 · frozen');
    expect(card).toContain('…and 1 more: `/case money GZ-2019-001`');
  });

  it('refuses a negative amount unless it is a correction, and says a correction is one everywhere', async () => {
    await h.command('/case money GZ-2019-001 recovered 75000 2020-05-20');
    const negative = await h.command('/case money GZ-2019-001 recovered -5000 2020-05-20');
    expect(negative.text).toContain('record it as a correction, e.g. `/case money GZ-2019-001 correct recovered -5000 entered twice`');
    expect(await h.db.selectFrom('money_entries').select('id').execute()).toHaveLength(1);
    const fix = await h.command('/case money GZ-2019-001 correct recovered -5000 2020-05-20 typed 75 for 70');
    expect(fix.text).toBe('Corrected on *GZ-2019-001*: recovered -CN¥5,000.00, dated 2020-05-20.');
    await h.command('/case money GZ-2019-001 recovered 10000 2021-03-01');
    await h.command('/case money GZ-2019-001 frozen 28万 2019-01-03');
    const summary = JSON.stringify((await h.command('/case money GZ-2019-001')).reply!.args.blocks);
    expect(summary).toContain('*Money of GZ-2019-001*');
    expect(summary).toContain('*recovered: CN¥80,000.00*');
    expect(summary).toContain('2020: CN¥70,000.00 (2 entries, 1 correction)');
    expect(summary).toContain('2021: CN¥10,000.00 (1 entry)');
    expect(summary).toContain('*frozen: CN¥280,000.00*');
    expect(summary).toContain('2019: CN¥280,000.00 (1 entry)');
    expect(summary).toContain('2020-05-20 · correction of recovered -CN¥5,000.00 · typed 75 for 70');
    expect(await history('GZ-2019-001')).toContain('corrected recovered by -CN¥5,000.00: typed 75 for 70');
  });

  const history = async (ref: string) => JSON.stringify((await h.command(`/case history ${ref}`)).reply!.args.blocks);
});
