import { describe, expect, it } from 'vitest';
import { dueText, elapsed, isTimeZone, parseDateInput, parseDateTimeInput, todayIn } from '../../src/domain/time.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

// Friday 2021-11-12 16:22 in Shanghai; still Friday 09:22 in Berlin; Friday 03:22 in New York.
const now = new Date('2021-11-12T08:22:00Z');

describe('parseDateInput', () => {
  it.each([
    ['2019-09-22', '2019-09-22'],
    ['2019/9/22', '2019-09-22'],
    ['2019.09.22', '2019-09-22'],
    ['2019年9月22日', '2019-09-22'],
    ['1997-11', '1997-11-01'],
    ['1997年11月', '1997-11-01'],
    ['2003', '2003-01-01'],
    ['yesterday', '2021-11-11'],
    ['昨天', '2021-11-11'],
    ['Sep 22 2019', '2019-09-22'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDateInput(input, 'Asia/Shanghai', now)).toBe(expected);
  });

  it.each(['2019-02-30', '2019-13-01', 'soon-ish', '2019-09-22 maybe', ''])('refuses %s', (input) => {
    expect(parseDateInput(input, 'Asia/Shanghai', now)).toBeUndefined();
  });

  it('counts "today" in the group’s zone, not the server’s', () => {
    const late = new Date('2021-11-12T20:00:00Z'); // already Saturday in Shanghai
    expect(todayIn('Asia/Shanghai', late)).toBe('2021-11-13');
    expect(todayIn('America/New_York', late)).toBe('2021-11-12');
    expect(parseDateInput('today', 'Asia/Shanghai', late)).toBe('2021-11-13');
  });
});

describe('parseDateTimeInput', () => {
  const at = (text: string, zone = 'Asia/Shanghai', ref = now) => parseDateTimeInput(text, zone, ref)?.at.toString();

  it('reads English and Chinese relative times in the group’s zone', () => {
    expect(at('next friday 17:00')).toBe('2021-11-19T17:00:00+08:00[Asia/Shanghai]');
    expect(at('下周五17:00')).toBe('2021-11-19T17:00:00+08:00[Asia/Shanghai]');
    expect(at('明天上午9点')).toBe('2021-11-13T09:00:00+08:00[Asia/Shanghai]');
    expect(at('tomorrow 9am', 'Europe/Berlin')).toBe('2021-11-13T09:00:00+01:00[Europe/Berlin]');
    expect(at('2019-09-22 07:24')).toBe('2019-09-22T07:24:00+08:00[Asia/Shanghai]');
  });

  it('says whether a time of day was given', () => {
    expect(parseDateTimeInput('2019-09-22', 'Asia/Shanghai', now)?.hasTime).toBe(false);
    expect(parseDateTimeInput('2019-09-22 07:24', 'Asia/Shanghai', now)?.hasTime).toBe(true);
  });

  it('moves a time in a spring-forward gap forward and takes the first of a repeated hour', () => {
    expect(at('2026-03-08 02:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00[America/New_York]');
    expect(at('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00[America/New_York]');
  });

  it('counts “in 3 minutes” from now to the second, not from the start of the minute', () => {
    const ref = new Date('2021-11-12T08:22:41Z');
    expect(parseDateTimeInput('in 3 minutes', 'Asia/Shanghai', ref)!.at.epochMilliseconds).toBe(ref.getTime() + 3 * 60_000);
    expect(parseDateTimeInput('3分钟后', 'Asia/Shanghai', ref)!.at.epochMilliseconds).toBe(ref.getTime() + 3 * 60_000);
    // A time typed to the minute has no seconds, whatever second it was typed at.
    expect(at('tomorrow 9am', 'Asia/Shanghai', ref)).toBe('2021-11-13T09:00:00+08:00[Asia/Shanghai]');
  });
});

describe('dueText', () => {
  it('names the zone’s offset when the wall time alone is ambiguous (the hour a fall-back day repeats)', () => {
    expect(dueText(new Date('2026-11-01T05:30:00Z'), 'America/New_York', en)).toBe('2026-11-01 01:30 EDT (America/New_York)');
    expect(dueText(new Date('2026-11-01T06:30:00Z'), 'America/New_York', en)).toBe('2026-11-01 01:30 EST (America/New_York)');
    expect(dueText(new Date('2026-11-01T07:30:00Z'), 'America/New_York', en)).toBe('2026-11-01 02:30 (America/New_York)');
    expect(dueText(new Date('2026-12-04T09:00:00Z'), 'Asia/Shanghai', en)).toBe('2026-12-04 17:00 (Asia/Shanghai)');
    // In Chinese the zone sits in full-width brackets, against the time.
    expect(dueText(new Date('2026-12-04T09:00:00Z'), 'Asia/Shanghai', zhCN)).toBe('2026-12-04 17:00（Asia/Shanghai）');
  });
});

describe('time zones and durations', () => {
  it('accepts IANA names and refuses fixed offsets', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('+08:00')).toBe(false);
    expect(isTimeZone('CST')).toBe(false);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('measures calendar time between dates', () => {
    expect(elapsed('2003-06-01', '2019-09-22')).toEqual({ years: 16, months: 3, days: 21 });
    expect(elapsed('2019-01-01', '2019-01-05')).toEqual({ years: 0, months: 0, days: 4 });
  });
});
