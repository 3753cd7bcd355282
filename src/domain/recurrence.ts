import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from './time.js';

/**
 * Recurring times, as RFC 5545 has them: a rule (an RRULE, such as `FREQ=WEEKLY;BYDAY=MO`),
 * the local wall-clock time of the first occurrence, and an IANA time zone; never a fixed UTC
 * offset, so 09:30 stays 09:30 local across daylight-saving changes.
 *
 * The rule is expanded in floating wall time and each wall time is then placed in the zone
 * with Temporal's 'compatible' reading (RFC 5545's): a time inside a spring-forward gap moves
 * forward by the gap (02:30 → 03:30), an ambiguous fall-back time is its first occurrence.
 * Expanding in the zone instead drops gap occurrences altogether (rrule-temporal 2.2.8).
 */
export interface Recurrence {
  /** RRULE body, without the `RRULE:` prefix. */
  rule: string;
  /** Local wall-clock time of the first occurrence, `YYYY-MM-DDTHH:MM[:SS]`. */
  start: string;
  zone: string;
}

const rules = new Map<string, RRuleTemporal>();
const MAX_CACHED = 1000;

function ruleOf(r: Recurrence): RRuleTemporal {
  const key = `${r.rule}|${r.start}`;
  let rule = rules.get(key);
  if (!rule) {
    const dtstart = Temporal.PlainDateTime.from(r.start).toZonedDateTime('UTC');
    rule = new RRuleTemporal({ rruleString: r.rule, dtstart: dtstart as never });
    if (rules.size >= MAX_CACHED) rules.delete(rules.keys().next().value!);
    rules.set(key, rule);
  }
  return rule;
}

/** Throws when the rule, start or zone cannot be read; callers validate input with it. */
export function checkRecurrence(r: Recurrence): void {
  Temporal.Now.instant().toZonedDateTimeISO(r.zone);
  ruleOf(r);
}

const wallAsFloating = (w: Temporal.PlainDateTime) => w.toZonedDateTime('UTC');

/**
 * The first occurrence strictly after `after`, or undefined when the rule has ended. The search
 * starts a few hours of wall time early: around a DST change, an occurrence whose wall time is
 * before `after`'s can still fall after it (a spring-forward time moved forward). Rules more
 * frequent than hourly skip that margin (a missed occurrence in a gap is followed within the hour).
 */
export function nextOccurrence(r: Recurrence, after: Date): Date | undefined {
  const rule = ruleOf(r);
  const afterWall = Temporal.Instant.fromEpochMilliseconds(after.getTime()).toZonedDateTimeISO(r.zone).toPlainDateTime();
  const margin = /FREQ=(SECONDLY|MINUTELY)/i.test(r.rule) ? { hours: 0 } : { hours: 3 };
  let candidate = rule.next(wallAsFloating(afterWall.subtract(margin)) as never, true) as Temporal.ZonedDateTime | null;
  for (let i = 0; candidate && i < 10_000; i++) {
    const at = candidate.toPlainDateTime().toZonedDateTime(r.zone, { disambiguation: 'compatible' });
    if (at.epochMilliseconds > after.getTime()) return new Date(at.epochMilliseconds);
    candidate = rule.next(candidate as never, false) as Temporal.ZonedDateTime | null;
  }
  return undefined;
}

/** The next `n` occurrences strictly after `after` (fewer when the rule ends), for `next ID [N]`. */
export function occurrencesAfter(r: Recurrence, after: Date, n: number): Date[] {
  const out: Date[] = [];
  let from = after;
  while (out.length < n) {
    const next = nextOccurrence(r, from);
    if (!next) break;
    out.push(next);
    from = next;
  }
  return out;
}

const placeInZone = (r: Recurrence) => (c: Temporal.ZonedDateTime) => new Date(c.toPlainDateTime().toZonedDateTime(r.zone, { disambiguation: 'compatible' }).epochMilliseconds);
const wallOf = (r: Recurrence, at: Date) => Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(r.zone).toPlainDateTime();

/**
 * The occurrences in (from, to], in order, from one pass over the window (the library's
 * `between`), each placed in the zone as nextOccurrence places it. Listing a year of a weekly
 * series this way is one scan instead of 53 searches.
 */
export function occurrencesBetween(r: Recurrence, from: Date, to: Date): Date[] {
  const margin = { hours: 3 };
  const found = ruleOf(r).between(wallAsFloating(wallOf(r, from).subtract(margin)) as never, wallAsFloating(wallOf(r, to).add(margin)) as never, true) as Temporal.ZonedDateTime[];
  return found.map(placeInZone(r)).filter((d) => d > from && d <= to);
}

/** The last occurrence strictly before `before`, or undefined when there is none. */
export function previousOccurrence(r: Recurrence, before: Date): Date | undefined {
  const rule = ruleOf(r);
  // Start a few hours of wall time late: a time a spring-forward moved can fall before `before`.
  let candidate = rule.previous(wallAsFloating(wallOf(r, before).add({ hours: 3 })) as never, true) as Temporal.ZonedDateTime | null;
  for (let i = 0; candidate && i < 100; i++) {
    const at = placeInZone(r)(candidate);
    if (at < before) return at;
    candidate = rule.previous(candidate as never, false) as Temporal.ZonedDateTime | null;
  }
  return undefined;
}
