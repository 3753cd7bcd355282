import { describe, expect, it } from 'vitest';
import { checkRecurrence, occurrencesAfter } from '../../src/domain/recurrence.js';
import { readRule, ruleFromWords, ruleInWords } from '../../src/domain/recurrence-words.js';
import { formatWithOffset } from '../../src/domain/time.js';

/** What an office says, the rule docket makes of it, and how docket says it back (en, zh). */
const phrases: [string, string, string, string][] = [
  ['every Tuesday', 'FREQ=WEEKLY;BYDAY=TU', 'every week on Tuesday', '每周周二'],
  ['every 2 weeks on Monday and Thursday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'every other week on Monday and Thursday', '每两周周一、周四'],
  ['every other week on mon, wed & fri', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR', 'every other week on Monday, Wednesday and Friday', '每两周周一、周三、周五'],
  ['first Monday of the month', 'FREQ=MONTHLY;BYDAY=1MO', 'the first Monday of every month', '每月第一个周一'],
  ['the 2nd and 4th Tuesday of every month', 'FREQ=MONTHLY;BYDAY=2TU,4TU', 'the second and fourth Tuesday of every month', '每月第二个和第四个周二'],
  ['last working day of the month', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'the last working day of every month', '每月最后一个工作日'],
  ['last day of the month', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'every month on the last day', '每月最后一天'],
  ['every month on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', 'every month on the 15th', '每月15日'],
  ['every 3 months', 'FREQ=MONTHLY;INTERVAL=3', 'every 3 months', '每3个月'],
  ['every working day', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'every working day', '每个工作日'],
  ['daily', 'FREQ=DAILY', 'every day', '每天'],
  ['每周二', 'FREQ=WEEKLY;BYDAY=TU', 'every week on Tuesday', '每周周二'],
  ['每两周周一和周四', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'every other week on Monday and Thursday', '每两周周一、周四'],
  ['隔周星期三', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', 'every other week on Wednesday', '每两周周三'],
  ['每月第一个周一', 'FREQ=MONTHLY;BYDAY=1MO', 'the first Monday of every month', '每月第一个周一'],
  ['每月最后一个工作日', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'the last working day of every month', '每月最后一个工作日'],
  ['每月15号', 'FREQ=MONTHLY;BYMONTHDAY=15', 'every month on the 15th', '每月15日'],
  ['每季度', 'FREQ=MONTHLY;INTERVAL=3', 'every 3 months', '每3个月'],
];

describe('recurrence in words', () => {
  it.each(phrases)('reads “%s” as %s and says it back', (phrase, rule, en, zh) => {
    expect(ruleFromWords(phrase)).toBe(rule);
    expect(ruleInWords(rule, 'en')).toBe(en);
    expect(ruleInWords(rule, 'zh')).toBe(zh);
    // What docket says back reads as the same rule.
    expect(ruleFromWords(en)).toBe(rule);
    expect(ruleFromWords(zh)).toBe(rule);
    expect(() => checkRecurrence({ rule, start: '2026-01-05T09:30', zone: 'Asia/Shanghai' })).not.toThrow();
  });

  it('reads nothing it does not understand, rather than guessing', () => {
    for (const phrase of ['every blue moon', 'every 2 weeks on someday', '每月第九个周一', 'first Monday', '', 'x'.repeat(500), 'every 0 weeks', '每周八']) {
      expect(ruleFromWords(phrase), phrase).toBeUndefined();
    }
  });

  it('takes an RRULE verbatim, and refuses what a meeting cannot be', () => {
    expect(readRule('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1')).toBe('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1');
    expect(readRule('rrule:freq=weekly;byday=tu')).toBe('FREQ=WEEKLY;BYDAY=TU');
    expect(readRule('FREQ=MINUTELY')).toBeUndefined();
    expect(readRule('FREQ=WEEKLY;X-EVIL=1')).toBeUndefined();
    expect(readRule('BYDAY=MO')).toBeUndefined();
    // A rule beyond what docket says in words is shown as written.
    expect(ruleInWords('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'en')).toBe('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
  });

  it('lists the next occurrences with their offsets: the last working day across a DST change, and the 31st only where a month has one', () => {
    const lastWorkday = { rule: ruleFromWords('last working day of the month')!, start: '2026-01-30T09:30', zone: 'Europe/Berlin' };
    expect(occurrencesAfter(lastWorkday, new Date('2026-02-01T00:00Z'), 3).map((d) => formatWithOffset(d, 'Europe/Berlin'))).toEqual([
      '2026-02-27 09:30 +01:00',
      '2026-03-31 09:30 +02:00',
      '2026-04-30 09:30 +02:00',
    ]);
    // RFC 5545: a month without a 31st has no occurrence of BYMONTHDAY=31 (say "last day of the month" for every month).
    const the31st = { rule: 'FREQ=MONTHLY;BYMONTHDAY=31', start: '2026-01-31T10:00', zone: 'Asia/Kathmandu' };
    expect(occurrencesAfter(the31st, new Date('2026-01-01T00:00Z'), 4).map((d) => formatWithOffset(d, 'Asia/Kathmandu'))).toEqual([
      '2026-01-31 10:00 +05:45',
      '2026-03-31 10:00 +05:45',
      '2026-05-31 10:00 +05:45',
      '2026-07-31 10:00 +05:45',
    ]);
    // Chatham's 45-minute offset and its own DST (southern hemisphere: forward in September).
    // 03:00 falls in the 02:45-03:45 gap on 2026-09-27: moved forward by the gap, not dropped.
    const chatham = { rule: ruleFromWords('every Sunday')!, start: '2026-09-06T03:00', zone: 'Pacific/Chatham' };
    expect(occurrencesAfter(chatham, new Date('2026-09-19T00:00Z'), 3).map((d) => formatWithOffset(d, 'Pacific/Chatham'))).toEqual([
      '2026-09-20 03:00 +12:45',
      '2026-09-27 04:00 +13:45',
      '2026-10-04 03:00 +13:45',
    ]);
  });
});
