import { describe, expect, it } from 'vitest';
import { parseCase } from '../../commands/case.parse.js';
import { parse as parseDocket } from '../../commands/docket.js';
import { formatRef, parseRef, suggestPrefix } from '../../src/domain/case-ref.js';
import { InvalidInput } from '../../src/errors.js';
import { en } from '../../src/i18n/en.js';
import { restAfter, takeOptions, tokenize } from '../../src/slack/args.js';

describe('tokenize', () => {
  it('groups quoted words, curly quotes included, and keeps mentions whole', () => {
    expect(tokenize('units add "Public Security" contact:<@U01|li>')).toEqual(['units', 'add', 'Public Security', 'contact:<@U01|li>']);
    expect(tokenize('rename “Police” 公安局')).toEqual(['rename', 'Police', '公安局']);
    expect(tokenize('unit:"Public Security"  x')).toEqual(['unit:Public Security', 'x']);
    expect(tokenize('""')).toEqual(['']);
  });

  it('splits off known key:value options, full-width colons too', () => {
    expect(takeOptions(['a', 'unit：公安局', 'role:member', 'x:y'], ['unit', 'role'] as const)).toEqual({ options: { unit: '公安局', role: 'member' }, rest: ['a', 'x:y'] });
  });

  it('keeps free text as typed after the leading words', () => {
    expect(restAfter('note GZ-2021-001  line one\nline two ', 2)).toBe('line one\nline two');
  });
});

describe('case references', () => {
  it('normalises what people type', () => {
    expect(parseRef('gz-2021-3')).toBe('GZ-2021-003');
    expect(parseRef('GZ-2021-1234')).toBe('GZ-2021-1234');
    expect(parseRef('GZ-21-003')).toBeUndefined();
    expect(parseRef('GZ-2021-000')).toBeUndefined();
    expect(formatRef('DB', 2019, 7)).toBe('DB-2019-007');
    expect(suggestPrefix('Ganzi Zhou office')).toBe('GZO');
    expect(suggestPrefix('甘孜州追逃办')).toBe('CASE');
  });
});

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInput) return `${err.render(en)} | ${err.usage?.(en) ?? ''}`;
    throw err;
  }
  throw new Error('expected an InvalidInput');
}

describe('/case parse', () => {
  it('reads each subcommand', () => {
    expect(parseCase('')).toEqual({ sub: 'help' });
    expect(parseCase('open')).toEqual({ sub: 'open', title: null, opened: null, since: null, unit: null });
    expect(parseCase('open  张某某案 ')).toEqual({ sub: 'open', title: '张某某案', opened: null, since: null, unit: null });
    expect(parseCase('list closed supervised unit:"Public Security"')).toEqual({ sub: 'list', state: 'closed', supervised: true, unit: 'Public Security' });
    expect(parseCase('status gz-2021-1 in custody 2019-09-22 07:24')).toEqual({ sub: 'status', ref: 'GZ-2021-001', status: 'in_custody', when: '2019-09-22 07:24', region: null, city: null });
    expect(parseCase('status GZ-2021-001 on hold')).toEqual({ sub: 'status', ref: 'GZ-2021-001', status: 'on_hold', when: null, region: null, city: null });
    // Where the subject was found: options anywhere after the status, in English or Chinese.
    expect(parseCase('status GZ-2019-001 in custody region:Chongqing 2019-09-22 07:24 city:"Yubei District"')).toMatchObject({ when: '2019-09-22 07:24', region: 'Chongqing', city: 'Yubei District' });
    expect(parseCase('status GZ-2019-001 已到案 2019-09-22 地区:重庆 城市:渝北')).toMatchObject({ status: 'in_custody', when: '2019-09-22', region: '重庆', city: '渝北' });
    expect(parseCase('close GZ-2019-001 returned 2019-09-22 16:00 region:Chongqing back in Danba')).toMatchObject({ date: '2019-09-22 16:00', region: 'Chongqing', city: null, note: 'back in Danba' });
    expect(parseCase('close GZ-2021-001 returned date:2020-05-10 caught in Lhasa')).toEqual({ sub: 'close', ref: 'GZ-2021-001', outcome: 'returned', date: '2020-05-10', note: 'caught in Lhasa', region: null, city: null });
    expect(parseCase('open Zhong,  film opened:2019-03-01 since:1997-11 unit:Police')).toEqual({ sub: 'open', title: 'Zhong, film', opened: '2019-03-01', since: '1997-11', unit: 'Police' });
    expect(parseCase('open Zhang,  at large')).toEqual({ sub: 'open', title: 'Zhang,  at large', opened: null, since: null, unit: null });
    // A bare date (and time) is the date it closed, not the start of the note.
    expect(parseCase('close GZ-2021-001 returned 2021-05-28 07:24 flown back')).toMatchObject({ date: '2021-05-28 07:24', note: 'flown back' });
    expect(parseCase('close GZ-2021-001 returned 2021年5月28日 back')).toMatchObject({ date: '2021年5月28日', note: 'back' });
    expect(parseCase('close GZ-2021-001 returned date:2021-05-28 07:24')).toMatchObject({ date: '2021-05-28 07:24', note: null });
    expect(parseCase('close GZ-2021-001 returned 2021 was a long year')).toMatchObject({ date: null, note: '2021 was a long year' });
    expect(parseCase('money GZ-2021-001 recovered 70,000 CNY 2020-05-20 first part')).toEqual({ sub: 'money', ref: 'GZ-2021-001', kind: 'recovered', amount: '70,000', currency: 'CNY', date: '2020-05-20', note: 'first part', correction: false });
    // A correction says so; no amount asks for the case's money.
    expect(parseCase('money GZ-2021-001 correct recovered -5000 entered twice')).toMatchObject({ sub: 'money', kind: 'recovered', amount: '-5000', note: 'entered twice', correction: true });
    expect(parseCase('money GZ-2021-001 更正 追回 -5000')).toMatchObject({ kind: 'recovered', amount: '-5000', correction: true });
    expect(parseCase('money GZ-2021-001')).toEqual({ sub: 'moneySummary', ref: 'GZ-2021-001' });
    expect(parseCase('money GZ-2021-001 frozen 28万 May accounts')).toEqual({ sub: 'money', ref: 'GZ-2021-001', kind: 'frozen', amount: '28万', currency: null, date: null, note: 'May accounts', correction: false });
    expect(parseCase('supervise GZ-2021-001 <@U0ALICE|alice>')).toEqual({ sub: 'supervise', ref: 'GZ-2021-001', user: 'U0ALICE' });
    expect(parseCase('edit GZ-2021-001 地点 拉萨')).toEqual({ sub: 'edit', ref: 'GZ-2021-001', field: 'location', value: '拉萨' });
  });

  it('keeps a grouped amount whole, and leaves a date and a note after it', () => {
    const money = (text: string) => parseCase(`money GZ-2021-001 recovered ${text}`);
    expect(money('70 000')).toMatchObject({ amount: '70 000', currency: null, date: null, note: null });
    expect(money('70\u00A0000 CNY 2020-05-20 first part')).toMatchObject({ amount: '70 000', currency: 'CNY', date: '2020-05-20', note: 'first part' });
    expect(money('2亿 3000万 今天 冻结')).toMatchObject({ amount: '2亿 3000万', date: '今天', note: '冻结' });
    expect(money('70000 2020-05-20')).toMatchObject({ amount: '70000', date: '2020-05-20', note: null });
    // A stray number after the amount joins it, so the amount is refused rather than misread.
    expect(money('70 00')).toMatchObject({ amount: '70 00', note: null });
    expect(money('5000 3 accounts')).toMatchObject({ amount: '5000 3', note: 'accounts' });
  });

  it('names what is wrong and gives the usage line', () => {
    expect(errorOf(() => parseCase('show'))).toBe('Missing REF. | /case show REF');
    expect(errorOf(() => parseCase('show 123'))).toBe('“123” is not a case reference. References look like GZ-2021-003. | /case show REF');
    expect(errorOf(() => parseCase('fly GZ-2021-001'))).toContain('`/case fly` is not a command I know.');
    expect(errorOf(() => parseCase('close GZ-2021-001 escaped'))).toContain('is not an outcome');
    expect(errorOf(() => parseCase('status GZ-2021-001 flying'))).toContain('“flying” is not a status');
    expect(errorOf(() => parseCase('list everything'))).toContain('I don’t understand “everything”');
    expect(errorOf(() => parseCase('supervise GZ-2021-001 alice'))).toContain('is not a Slack user');
  });

  it('quotes back at most 80 characters of a word it could not read, escaped', () => {
    const reply = errorOf(() => parseCase(`list <!channel>${'x'.repeat(3000)}`));
    expect(reply).toMatch(/^I don’t understand “&lt;!channel&gt;x+…”\. \| /);
    expect(reply.length).toBeLessThan(200);
  });
});

describe('/case parse, in the words docket prints a Chinese reader', () => {
  it.each([
    ['status GZ-2021-001 已锁定', { sub: 'status', status: 'located' }],
    ['status GZ-2021-001 已到案 2019-09-22 07:24', { sub: 'status', status: 'in_custody', when: '2019-09-22 07:24' }],
    ['close GZ-2021-001 追回', { sub: 'close', outcome: 'returned' }],
    ['close GZ-2021-001 投案', { sub: 'close', outcome: 'surrendered' }],
    ['money GZ-2021-001 冻结 280000', { sub: 'money', kind: 'frozen', amount: '280000' }],
    ['money GZ-2021-001 追回 17万', { sub: 'money', kind: 'recovered', amount: '17万' }],
    ['list 全部 督办', { sub: 'list', state: 'all', supervised: true }],
    ['list 已结案件', { sub: 'list', state: 'closed', supervised: false }],
  ])('reads “%s”', (text, expected) => {
    expect(parseCase(text)).toMatchObject(expected);
  });

  it('still refuses a word that is neither English nor what docket prints', () => {
    expect(() => parseCase('status GZ-2021-001 已完成')).toThrow(InvalidInput);
    expect(() => parseCase('close GZ-2021-001 constructor')).toThrow(InvalidInput);
    expect(() => parseCase('list 未知')).toThrow(InvalidInput);
  });
});

describe('/docket parse', () => {
  it('reads settings, units and members', () => {
    expect(parseDocket('setup Ganzi Office prefix:GZ tz:Asia/Shanghai')).toEqual({ sub: 'setup', name: 'Ganzi Office', options: { prefix: 'GZ', tz: 'Asia/Shanghai' } });
    expect(parseDocket('units add "Public Security" contact:<@U01|li>')).toEqual({ sub: 'unit.add', name: 'Public Security', contact: 'U01' });
    expect(parseDocket('members add <@U01> <@U02|b> role:observer unit:Police')).toEqual({ sub: 'member.add', users: ['U01', 'U02'], change: { role: 'observer', unitName: 'Police' } });
    expect(errorOf(() => parseDocket('members add <@U01> role:boss'))).toContain('“boss” is not a role');
  });
});
