import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { feedRule, meetingsCalendar, type FeedSeries } from '../../src/features/meetings/feed.js';
import { heldBetween } from '../../src/features/meetings/occurrences.js';

const series = (over: Partial<FeedSeries['meeting']>, changes: FeedSeries['changes'] = []): FeedSeries => ({
  meeting: { id: 7, title: 'Review', rule: 'FREQ=WEEKLY;BYDAY=TU', start_local: '2027-01-05T09:30', time_zone: 'UTC', duration_minutes: 60, location: null, cancelled_at: null, ...over },
  changes,
});

/** The instants ical.js expands the feed's one series to, in (from, to]. */
function expanded(text: string, from: Date, to: Date): string[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const zone of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const [event] = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  const out: string[] = [];
  const it = event!.iterator();
  for (let t = it.next(); t && t.toJSDate() <= to; t = it.next()) if (t.toJSDate() > from) out.push(t.toJSDate().toISOString());
  return out;
}

describe('the calendar feed writer', () => {
  it('writes UNTIL as the UTC instant docket reads it as: wall time in the zone, a date to the end of its day', () => {
    expect(feedRule('FREQ=DAILY;UNTIL=20270110', 'Europe/Berlin')).toBe('FREQ=DAILY;UNTIL=20270110T225959Z');
    expect(feedRule('FREQ=DAILY;UNTIL=20270110T093000Z;BYDAY=MO', 'Asia/Shanghai')).toBe('FREQ=DAILY;UNTIL=20270110T013000Z;BYDAY=MO');
    expect(feedRule('FREQ=MONTHLY;BYDAY=1MO', 'Asia/Shanghai')).toBe('FREQ=MONTHLY;BYDAY=1MO');
  });

  it('writes a UTC series in UTC, its skipped meetings too, so a client leaves them out', () => {
    const s = series({}, [{ occurrence: new Date('2027-01-12T09:30:00Z'), moved_to: null }]);
    const text = meetingsCalendar('Office', [s], new Date('2026-12-03T02:00:00Z'));
    expect(text).toContain('DTSTART:20270105T093000Z');
    expect(text).toContain('EXDATE:20270112T093000Z');
    const from = new Date('2027-01-01T00:00:00Z');
    const to = new Date('2027-02-01T00:00:00Z');
    expect(expanded(text, from, to)).toEqual(heldBetween(s, from, to).map((d) => d.toISOString()));
    expect(expanded(text, from, to)).toHaveLength(3);
  });

  it('names a zone’s VTIMEZONE as its events do, an alias included', () => {
    const text = meetingsCalendar('Office', [series({ time_zone: 'Asia/Calcutta' })], new Date('2026-12-03T02:00:00Z'));
    expect(text).toContain('TZID:Asia/Calcutta\r\n');
    expect(text).toContain('DTSTART;TZID=Asia/Calcutta:20270105T093000');
    expect(expanded(text, new Date('2027-01-01T00:00:00Z'), new Date('2027-01-06T00:00:00Z'))).toEqual(['2027-01-05T04:00:00.000Z']);
  });

  it('leaves cancelled series out, and stamps in UTC', () => {
    const text = meetingsCalendar('Office', [series({ cancelled_at: new Date('2026-12-01T00:00:00Z') })], new Date('2026-12-03T02:00:00Z'));
    expect(text).not.toContain('BEGIN:VEVENT');
    const live = meetingsCalendar('Office', [series({ time_zone: 'Asia/Shanghai' })], new Date('2026-12-03T02:00:00Z'));
    expect(live).toContain('DTSTAMP:20261203T020000Z');
  });
});
