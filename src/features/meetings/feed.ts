import ical, { type ICalEventData } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Meeting, MeetingChange } from '../../db/meetings.table.js';
import { Temporal } from '../../domain/time.js';

/**
 * A group's meetings as iCalendar (RFC 5545), for Google Calendar and Outlook to subscribe to.
 * Each series is one VEVENT: its local start with its zone (DTSTART;TZID), its stored rule, an
 * EXDATE per skipped meeting; each moved meeting is a VEVENT of its own with the series' UID
 * and the meeting's original time as RECURRENCE-ID. Every zone used comes with its VTIMEZONE
 * from the IANA database, so clients place the times as docket does across daylight saving.
 *
 * Cancelled series are left out rather than sent as STATUS:CANCELLED: a subscribed calendar is
 * fetched whole again, and Google and Outlook drop what is no longer in it, while a cancelled
 * status outside a scheduling message is not honoured by every client (some keep showing it).
 *
 * Known limit: a first meeting whose local start falls in a spring-forward gap is written at
 * the time it resolves to (02:30 → 03:30), since the writer takes instants, not wall times.
 */
export interface FeedSeries {
  meeting: Pick<Meeting, 'id' | 'title' | 'rule' | 'start_local' | 'time_zone' | 'duration_minutes' | 'location' | 'cancelled_at'>;
  changes: readonly Pick<MeetingChange, 'occurrence' | 'moved_to'>[];
}

/** Outlook refreshes a subscription about this often when the feed asks (Google keeps its own pace). */
const REFRESH_SECONDS = 3600;

export const feedUid = (meetingId: number) => `meeting-${meetingId}@docket`;

const zoned = (at: Date, zone: string) => Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
const icsLocal = (at: Date, zone: string) => zoned(at, zone).toPlainDateTime().toString({ smallestUnit: 'second' }).replace(/[-:]/g, '');

/**
 * The VTIMEZONE block of an IANA zone (the library answers [block, TZID line]), under the name
 * the events use: for an alias (Asia/Calcutta) the library names the zone it links to.
 */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : block;
  return text ? text.replace(/^TZID:.*$/m, `TZID:${zone}`).replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`) : null;
}

/**
 * The stored rule as a client must read it. docket reads UNTIL as wall time in the series'
 * zone (a date alone: to the end of that day), while RFC 5545 wants UTC beside a DTSTART with
 * a TZID: the same limit is written as the UTC instant it stands for.
 */
export function feedRule(rule: string, zone: string): string {
  return rule.replace(/UNTIL=(\d{8})(T\d{6})?Z?/, (_all, date: string, time: string | undefined) => {
    const wall = Temporal.PlainDateTime.from(`${date}${time ?? 'T235959'}`);
    const at = wall.toZonedDateTime(zone, { disambiguation: 'compatible' }).toInstant();
    return `UNTIL=${at.toString({ smallestUnit: 'second' }).replace(/[-:]/g, '')}`;
  });
}

function seriesEvents(s: FeedSeries, stamp: Date): ICalEventData[] {
  const { meeting: m } = s;
  const zone = m.time_zone;
  const common = { id: feedUid(m.id), stamp, timezone: zone, summary: m.title, ...(m.location ? { location: m.location } : {}) };
  const span = (start: Temporal.ZonedDateTime) => ({ start, end: start.add({ minutes: m.duration_minutes }) });
  const skipped = s.changes.filter((c) => !c.moved_to).map((c) => icsLocal(c.occurrence, zone));
  // The library writes a UTC series' times in UTC (…Z), without a TZID: its EXDATE must match.
  const exdate = skipped.length === 0 ? '' : zone === 'UTC' ? `\nEXDATE:${skipped.map((t) => `${t}Z`).join(',')}` : `\nEXDATE;TZID=${zone}:${skipped.join(',')}`;
  const first = Temporal.PlainDateTime.from(m.start_local).toZonedDateTime(zone, { disambiguation: 'compatible' });
  return [
    // A rule as text, verbatim (not rebuilt from parts); the library writes its extra lines as given.
    { ...common, ...span(first), repeating: `RRULE:${feedRule(m.rule, zone)}${exdate}` },
    ...s.changes.flatMap((c) => (c.moved_to ? [{ ...common, ...span(zoned(c.moved_to, zone)), recurrenceId: zoned(c.occurrence, zone) }] : [])),
  ];
}

/** The feed: a calendar named after the group, with its running series. */
export function meetingsCalendar(name: string, series: readonly FeedSeries[], stamp: Date): string {
  // A generator with no calendar-wide zone: each event names its own (and DTSTAMP stays UTC,
  // which the library writes in the calendar's zone once one is set).
  const cal = ical({ name, prodId: { company: 'docket', product: 'meetings', language: 'EN' }, ttl: REFRESH_SECONDS, timezone: { name: null, generator: vtimezone } });
  for (const s of series) if (!s.meeting.cancelled_at) for (const e of seriesEvents(s, stamp)) cal.createEvent(e);
  return cal.toString();
}
