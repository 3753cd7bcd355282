import { describe, expect, it } from 'vitest';
import { nextOccurrence, occurrencesBetween, previousOccurrence, type Recurrence } from '../../src/domain/recurrence.js';
import { Temporal } from '../../src/domain/time.js';

/** The instant of a local wall-clock time, as an ISO string with its offset, for readable expectations. */
const local = (d: Date | undefined, zone: string) => (d ? Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' }) : 'none');
const at = (iso: string) => new Date(iso);

function occurrences(r: Recurrence, from: Date, n: number): string[] {
  const out: string[] = [];
  let after = from;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(r, after);
    out.push(local(next, r.zone));
    if (!next) break;
    after = next;
  }
  return out;
}

describe('recurrence in a time zone', () => {
  it('keeps a daily 09:30 at 09:30 local across a DST change (New York, spring and fall)', () => {
    const r = { rule: 'FREQ=DAILY', start: '2026-01-05T09:30', zone: 'America/New_York' };
    expect(occurrences(r, at('2026-03-07T00:00Z'), 3)).toEqual(['2026-03-07T09:30:00-05:00', '2026-03-08T09:30:00-04:00', '2026-03-09T09:30:00-04:00']);
    expect(occurrences(r, at('2026-10-31T00:00Z'), 3)).toEqual(['2026-10-31T09:30:00-04:00', '2026-11-01T09:30:00-05:00', '2026-11-02T09:30:00-05:00']);
  });

  it('moves a time inside a spring-forward gap forward by the gap, and drops no occurrence', () => {
    const r = { rule: 'FREQ=DAILY', start: '2026-01-05T02:30', zone: 'America/New_York' };
    expect(occurrences(r, at('2026-03-07T00:00Z'), 3)).toEqual(['2026-03-07T02:30:00-05:00', '2026-03-08T03:30:00-04:00', '2026-03-09T02:30:00-04:00']);
    const berlin = { rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', start: '2026-03-29T02:30', zone: 'Europe/Berlin' };
    expect(occurrences(berlin, at('2026-01-01T00:00Z'), 2)).toEqual(['2026-03-29T03:30:00+02:00', '2027-03-28T03:30:00+02:00']);
  });

  it('takes the first of an ambiguous fall-back time, once', () => {
    const r = { rule: 'FREQ=DAILY', start: '2026-01-05T01:30', zone: 'America/New_York' };
    expect(occurrences(r, at('2026-10-31T12:00Z'), 3)).toEqual(['2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00', '2026-11-03T01:30:00-05:00']);
  });

  it('follows the southern hemisphere’s DST (Sydney springs forward in October)', () => {
    const r = { rule: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-09-07T09:00', zone: 'Australia/Sydney' };
    expect(occurrences(r, at('2026-09-27T00:00Z'), 2)).toEqual(['2026-09-28T09:00:00+10:00', '2026-10-05T09:00:00+11:00']);
  });

  it.each([
    ['Asia/Kolkata', '2026-12-01T09:00:00+05:30'],
    ['Asia/Kathmandu', '2026-12-01T09:00:00+05:45'],
    ['Australia/Lord_Howe', '2026-12-01T09:00:00+11:00'],
    ['Pacific/Chatham', '2026-12-01T09:00:00+13:45'],
    ['Asia/Shanghai', '2026-12-01T09:00:00+08:00'],
  ])('places 09:00 at 09:00 local in %s', (zone, expected) => {
    expect(local(nextOccurrence({ rule: 'FREQ=DAILY', start: '2026-01-01T09:00', zone }, at('2026-11-30T12:00Z')), zone)).toBe(expected);
  });

  it('is strictly after the given instant, and answers nothing once the rule has ended', () => {
    const r = { rule: 'FREQ=DAILY;COUNT=2', start: '2026-12-01T09:00', zone: 'Asia/Shanghai' };
    const first = nextOccurrence(r, at('2026-11-30T00:00Z'))!;
    expect(local(nextOccurrence(r, first), r.zone)).toBe('2026-12-02T09:00:00+08:00');
    expect(nextOccurrence(r, at('2026-12-02T01:00Z'))).toBeUndefined();
  });
});

describe('listing a window in one pass', () => {
  const cases: Recurrence[] = [
    { rule: 'FREQ=DAILY', start: '2026-01-05T02:30', zone: 'America/New_York' },
    { rule: 'FREQ=DAILY', start: '2026-01-05T01:30', zone: 'America/New_York' },
    { rule: 'FREQ=WEEKLY;BYDAY=SU', start: '2026-01-04T02:15', zone: 'Australia/Lord_Howe' },
    { rule: 'FREQ=WEEKLY;BYDAY=SU', start: '2026-01-04T03:00', zone: 'Pacific/Chatham' },
    { rule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', start: '2026-01-30T09:30', zone: 'Europe/Berlin' },
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=31', start: '2026-01-31T10:00', zone: 'Asia/Kathmandu' },
    { rule: 'FREQ=WEEKLY;COUNT=5', start: '2026-03-02T09:00', zone: 'Asia/Kolkata' },
  ];
  it.each(cases)('gives what searching one occurrence after another gives: $rule in $zone', (r) => {
    const from = at('2026-01-01T00:00Z');
    const to = at('2027-01-01T00:00Z');
    const stepped: string[] = [];
    for (let next = nextOccurrence(r, from); next && next <= to; next = nextOccurrence(r, next)) stepped.push(next.toISOString());
    expect(occurrencesBetween(r, from, to).map((d) => d.toISOString())).toEqual(stepped);
    // And the one before each is the one before it in the list.
    for (let i = 1; i < stepped.length; i += 7) expect(previousOccurrence(r, new Date(stepped[i]!))?.toISOString()).toBe(stepped[i - 1]);
    expect(previousOccurrence(r, new Date(stepped[0]!))).toBeUndefined();
  });
});
