import * as chrono from 'chrono-node';
import { Temporal } from 'temporal-polyfill';
import { INPUT_MAX, longerThan } from './input-limits.js';
import type { Messages } from '../i18n/en.js';

export { Temporal };

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!zone || longerThan(zone, INPUT_MAX.word) || /^[+-]?\d/.test(zone)) return false; // fixed offsets are wrong across DST
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export function wallTimeIn(zone: string, now: Date): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDateTime();
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Today's date (YYYY-MM-DD) as seen in `zone`. On every command's path, so it uses a cached
 * Intl formatter rather than the heavier Temporal polyfill; the parts are assembled here, not
 * taken from a locale's date format, which ICU has changed before.
 */
export function todayIn(zone: string, now: Date): string {
  let f = dayFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  const parts = f.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Years docket accepts: old cases go back decades, nothing goes back centuries. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

function isoDate(y: number, m: number, d: number): string | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR) return undefined;
  try {
    return Temporal.PlainDate.from({ year: y, month: m, day: d }, { overflow: 'reject' }).toString();
  } catch {
    return undefined;
  }
}

/** Numeric forms people type: 2019-09-22, 2019/9/22, 2019.9.22, 2019年9月22日, and 1997-11 (a month). */
const numericDate = /^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)$/u;

/**
 * chrono reads relative words ("tomorrow", 明天) against a reference Date in the machine's
 * zone, whatever zone it is told (chrono.zh ignores the option). So the reference is the
 * group's wall time built as a machine-local Date: every component chrono returns is then a
 * wall-clock component in `zone`, which Temporal resolves (its 'compatible' rule for gaps and folds). The tests run
 * with the machine in Asia/Shanghai to keep this honest.
 */
function chronoParse(text: string, zone: string, now: Date, forwardDate = false): chrono.ParsedResult | undefined {
  // Callers refuse longer text with a message; this guard keeps chrono safe from any new caller.
  if (longerThan(text, INPUT_MAX.when)) return undefined;
  const wall = wallTimeIn(zone, now);
  const ref = new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  for (const parser of [chrono.en.casual, chrono.zh.casual]) {
    const [result] = parser.parse(text, ref, { forwardDate });
    // Only a parse of the whole input counts: "2019-13-45 maybe" must not become a date.
    if (result && result.index === 0 && result.text.length >= text.trim().length) return result;
  }
  return undefined;
}

/** Parses a calendar date; returns YYYY-MM-DD or undefined. Relative words count from today in `zone`. */
export function parseDateInput(text: string, zone: string, now: Date): string | undefined {
  const t = text.trim();
  const m = numericDate.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : 1);
  if (/^\d{4}$/.test(t)) return isoDate(Number(t), 1, 1);
  const r = chronoParse(t, zone, now);
  if (!r) return undefined;
  return isoDate(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!);
}

export interface ParsedDateTime {
  at: Temporal.ZonedDateTime;
  /** False when only a date was given: the caller decides which time of day that means. */
  hasTime: boolean;
}

/**
 * Parses a date and time in `zone`. A wall time in a spring-forward gap moves forward and an
 * ambiguous fall-back time takes its first occurrence, as RFC 5545 reads them.
 */
export function parseDateTimeInput(text: string, zone: string, now: Date, opts: { forward?: boolean } = {}): ParsedDateTime | undefined {
  const t = text.trim();
  const date = numericDate.test(t) ? parseDateInput(t, zone, now) : undefined;
  if (date) return { at: Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }), hasTime: false };
  // Deadlines look ahead: "friday" said on a Saturday means the coming Friday.
  const r = chronoParse(t, zone, now, opts.forward ?? false);
  if (!r) return undefined;
  const s = r.start;
  const hasTime = s.isCertain('hour');
  if (s.get('year')! < MIN_YEAR || s.get('year')! > MAX_YEAR) return undefined;
  try {
    const wall = Temporal.PlainDateTime.from(
      {
        year: s.get('year')!,
        month: s.get('month')!,
        day: s.get('day')!,
        hour: hasTime ? s.get('hour')! : 0,
        minute: hasTime ? (s.get('minute') ?? 0) : 0,
        // "in 3 minutes" is three minutes from now, not from the minute's start; a time typed
        // as 17:00 has no seconds of its own (chrono implies 0).
        second: hasTime ? (s.get('second') ?? 0) : 0,
      },
      { overflow: 'reject' },
    );
    return { at: wall.toZonedDateTime(zone, { disambiguation: 'compatible' }), hasTime };
  } catch {
    return undefined;
  }
}

export interface Elapsed {
  years: number;
  months: number;
  days: number;
}

/** Calendar time between two dates (YYYY-MM-DD), e.g. 16 years 3 months. */
export function elapsed(from: string, to: string): Elapsed {
  const d = Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'years' });
  return { years: d.years, months: d.months, days: d.days };
}

export function toDate(at: Temporal.ZonedDateTime): Date {
  return new Date(at.epochMilliseconds);
}

/** An instant as wall time in the group's zone: 2019-09-22 07:24. */
export function formatInstant(at: Date, zone: string): string {
  const wall = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDateTime();
  return wall.toString({ smallestUnit: 'minute' }).replace('T', ' ');
}

/** The date (in `zone`) on which an instant falls. */
export function dateIn(at: Date, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's short name at that instant (EDT, EST; GMT+8 where the zone has none), when the
 * wall time alone does not say which instant is meant: the hour a fall-back day repeats.
 */
function foldName(at: Date, zone: string): string | undefined {
  const wall = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDateTime();
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds;
  const later = wall.toZonedDateTime(zone, { disambiguation: 'later' }).epochMilliseconds;
  if (earlier === later) return undefined;
  let f = zoneNames.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    zoneNames.set(zone, f);
  }
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
}

/**
 * A due time as shown to people: wall time (with the zone's name when the hour repeats) and
 * the zone, in the reader's brackets: "2026-12-04 17:00 (Asia/Shanghai)", "2026-12-04 17:00（Asia/Shanghai）".
 */
export function dueText(at: Date, zone: string, m: Pick<Messages, 'aside'>): string {
  const fold = foldName(at, zone);
  return `${formatInstant(at, zone)}${fold ? ` ${fold}` : ''}${m.aside(zone)}`;
}

/** The first instant of a date (YYYY-MM-DD) in `zone`: when a fact known only by its date happened. */
export function dayStartIn(date: string, zone: string): Date {
  return new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds);
}

/** An instant as wall time in `zone` with its UTC offset (2026-03-08 03:30 -04:00): unambiguous on any day. */
export function formatWithOffset(at: Date, zone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
  return `${z.toPlainDateTime().toString({ smallestUnit: 'minute' }).replace('T', ' ')} ${z.offset}`;
}
