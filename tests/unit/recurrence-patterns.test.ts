import { describe, expect, it } from 'vitest';
import { MEETING_PATTERNS, isMeetingPattern, patternOf, patternRule } from '../../src/domain/recurrence-patterns.js';
import { ruleFromWords } from '../../src/domain/recurrence-words.js';

describe('the meeting form’s list of rhythms', () => {
  it('are the rules the same words give, on the first meeting’s weekday', () => {
    // 2026-12-08 is a Tuesday, 2026-12-10 a Thursday.
    expect(patternRule('weekly', '2026-12-08T09:30')).toBe(ruleFromWords('every Tuesday'));
    expect(patternRule('weekly', '2026-12-10T09:30')).toBe(ruleFromWords('every Thursday'));
    expect(patternRule('fortnightly', '2026-12-08T09:30')).toBe(ruleFromWords('every 2 weeks on Tuesday'));
    expect(patternRule('monthly-first', '2026-12-08T09:30')).toBe(ruleFromWords('first Tuesday of the month'));
    expect(patternRule('monthly-last-workday', '2026-12-08T09:30')).toBe(ruleFromWords('每月最后一个工作日'));
    expect(patternRule('workdays', '2026-12-08T09:30')).toBe(ruleFromWords('every working day'));
  });

  it('recognise a series’ rule as one of them only for its own start', () => {
    expect(patternOf('FREQ=WEEKLY;BYDAY=TU', '2026-12-08T09:30')).toBe('weekly');
    expect(patternOf('FREQ=WEEKLY;BYDAY=TU', '2026-12-10T09:30')).toBeUndefined();
    expect(patternOf('FREQ=MONTHLY;BYDAY=2TU,4TU', '2026-12-08T09:30')).toBeUndefined();
    for (const p of MEETING_PATTERNS) expect(patternOf(patternRule(p, '2027-01-04T10:00'), '2027-01-04T10:00')).toBe(p);
    expect(isMeetingPattern('weekly')).toBe(true);
    expect(isMeetingPattern('other')).toBe(false);
    expect(isMeetingPattern(null)).toBe(false);
  });
});
