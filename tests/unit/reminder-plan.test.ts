import { describe, expect, it } from 'vitest';
import { escalationAt, owedReminders, planReminders } from '../../src/domain/reminder-plan.js';
import { nextOccurrence } from '../../src/domain/recurrence.js';
import { DEFAULT_REMINDER_SETTINGS, formatDuration, parseBeforeList, parseDays, parseHour } from '../../src/domain/reminder-settings.js';
import { snoozeEnd } from '../../src/domain/action-item.js';

const sh = (wall: string) => new Date(`${wall}+08:00`);
const iso = (d: Date) => d.toISOString();
const settings = { ...DEFAULT_REMINDER_SETTINGS, beforeMinutes: [1440, 60] };

describe('planReminders', () => {
  it('plans 24 h and 1 h before, at due, and the escalation (the daily overdue reminder is the group’s schedule)', () => {
    const plan = planReminders({ dueAt: sh('2026-12-04T17:00:00'), zone: 'Asia/Shanghai', settings, now: sh('2026-12-01T10:00:00'), snoozedUntil: null });
    expect(plan.map((p) => [p.kind, iso(p.fireAt), p.audience])).toEqual([
      ['before', iso(sh('2026-12-03T17:00:00')), 'owner'],
      ['before', iso(sh('2026-12-04T16:00:00')), 'owner'],
      ['due', iso(sh('2026-12-04T17:00:00')), 'owner'],
      ['escalation', iso(sh('2026-12-07T17:00:00')), 'channel'],
    ]);
  });

  it('leaves out moments already past', () => {
    const plan = planReminders({ dueAt: sh('2026-12-01T12:00:00'), zone: 'Asia/Shanghai', settings, now: sh('2026-12-01T11:30:00'), snoozedUntil: null });
    expect(plan.map((p) => p.kind)).toEqual(['due', 'escalation']);
  });

  it('while snoozed, plans the owner’s next reminder at the end of the snooze but keeps the escalation', () => {
    const plan = planReminders({ dueAt: sh('2026-12-01T12:00:00'), zone: 'Asia/Shanghai', settings, now: sh('2026-12-03T12:00:00'), snoozedUntil: sh('2026-12-10T12:00:00') });
    expect(plan.map((p) => [p.kind, iso(p.fireAt)])).toEqual([
      ['escalation', iso(sh('2026-12-04T12:00:00'))],
      ['snoozed', iso(sh('2026-12-10T12:00:00'))],
    ]);
  });

  it('escalates now, once, an item added or moved already past its escalation point', () => {
    const now = sh('2026-12-01T10:00:00');
    const input = { dueAt: sh('2026-11-27T17:00:00'), zone: 'Asia/Shanghai', settings, now, snoozedUntil: null };
    // The escalation's moment (30 Nov 17:00) identifies it; it goes now.
    expect(planReminders(input).map((p) => [p.kind, iso(p.moment), iso(p.fireAt)])).toEqual([['escalation', iso(sh('2026-11-30T17:00:00')), iso(now)]]);
    // Planned again an hour later: the same escalation (same moment), so it is not sent twice.
    const later = planReminders({ ...input, now: sh('2026-12-01T11:00:00') });
    expect(later.map((p) => iso(p.moment))).toEqual([iso(sh('2026-11-30T17:00:00'))]);
  });

  it('owes every moment, past ones included, except the owner’s that a snooze covers', () => {
    const input = { dueAt: sh('2026-12-01T12:00:00'), zone: 'Asia/Shanghai', settings, now: sh('2026-12-01T12:00:30'), snoozedUntil: null };
    expect(owedReminders(input).map((p) => p.kind)).toEqual(['before', 'before', 'due', 'escalation']);
    const snoozed = owedReminders({ ...input, snoozedUntil: sh('2026-12-01T13:00:00') });
    expect(snoozed.map((p) => [p.kind, iso(p.moment)])).toEqual([
      ['snoozed', iso(sh('2026-12-01T13:00:00'))],
      ['escalation', iso(sh('2026-12-04T12:00:00'))],
    ]);
  });

  it('follows the settings: nothing before, no daily reminder, no escalation', () => {
    const plan = planReminders({
      dueAt: sh('2026-12-04T17:00:00'),
      zone: 'Asia/Shanghai',
      settings: { beforeMinutes: [], atDue: true, overdueHour: null, escalateAfterDays: null },
      now: sh('2026-12-01T10:00:00'),
      snoozedUntil: null,
    });
    expect(plan.map((p) => p.kind)).toEqual(['due']);
  });
});

describe('wall-clock rules across daylight saving (Europe/Berlin, 29 March 2026)', () => {
  const berlin = (wall: string, offset: string) => new Date(`${wall}${offset}`);
  it('the daily overdue schedule stays at 09:00 local on both sides of the change', () => {
    const daily = { rule: 'FREQ=DAILY', start: '2026-01-01T09:00', zone: 'Europe/Berlin' };
    const sat = nextOccurrence(daily, berlin('2026-03-27T17:00:00', '+01:00'))!;
    const sun = nextOccurrence(daily, sat)!;
    const mon = nextOccurrence(daily, sun)!;
    expect([iso(sat), iso(sun), iso(mon)]).toEqual([iso(berlin('2026-03-28T09:00:00', '+01:00')), iso(berlin('2026-03-29T09:00:00', '+02:00')), iso(berlin('2026-03-30T09:00:00', '+02:00'))]);
  });

  it('an escalation three days later keeps the due time’s wall-clock time', () => {
    expect(iso(escalationAt(berlin('2026-03-27T17:00:00', '+01:00'), 'Europe/Berlin', 3))).toBe(iso(berlin('2026-03-30T17:00:00', '+02:00')));
  });

  it('a one-day snooze means the same wall time tomorrow', () => {
    expect(iso(snoozeEnd(berlin('2026-03-28T10:00:00', '+01:00'), '1d', 'Europe/Berlin'))).toBe(iso(berlin('2026-03-29T10:00:00', '+02:00')));
    expect(iso(snoozeEnd(berlin('2026-03-28T10:00:00', '+01:00'), '1h', 'Europe/Berlin'))).toBe(iso(berlin('2026-03-28T11:00:00', '+01:00')));
  });
});

describe('reminder settings input', () => {
  it('reads durations, hours and days, and refuses the rest', () => {
    expect(parseBeforeList('24h,1h')).toEqual([1440, 60]);
    expect(parseBeforeList('1h，2d')).toEqual([2880, 60]);
    expect(parseBeforeList('none')).toEqual([]);
    expect(parseBeforeList('soon')).toBeUndefined();
    expect(parseBeforeList('1h,2h,3h,4h,5h')).toBeUndefined();
    expect(parseHour('09:00')).toBe(9);
    expect(parseHour('off')).toBeNull();
    expect(parseHour('25')).toBeUndefined();
    expect(parseDays('3')).toBe(3);
    expect(parseDays('0')).toBeUndefined();
    expect([1440, 60, 2880, 10080, 90].map(formatDuration)).toEqual(['24h', '1h', '2d', '7d', '90m']);
  });
});
