import { WEEKDAYS, type Weekday } from './recurrence-words.js';
import { Temporal } from './time.js';

/**
 * The ways a standing meeting most often recurs, which the meeting form offers as a list. Each
 * becomes a rule once the first meeting's date is known: "every week" meets on that date's
 * weekday, "monthly on the first" on the first such weekday of each month. They are the rules
 * the same words typed after `every:` give, so a series scheduled either way reads back as one.
 */
export const MEETING_PATTERNS = ['weekly', 'fortnightly', 'monthly-first', 'monthly-last-workday', 'workdays'] as const;
export type MeetingPattern = (typeof MEETING_PATTERNS)[number];

export const isMeetingPattern = (v: string | null | undefined): v is MeetingPattern => (MEETING_PATTERNS as readonly (string | null | undefined)[]).includes(v);

/** The weekday of a local `YYYY-MM-DD[THH:MM]`. */
const weekdayOf = (startLocal: string): Weekday => WEEKDAYS[Temporal.PlainDate.from(startLocal.slice(0, 10)).dayOfWeek - 1]!;

/** The rule of a pattern for a series whose first meeting is at `startLocal`. */
export function patternRule(pattern: MeetingPattern, startLocal: string): string {
  const day = weekdayOf(startLocal);
  switch (pattern) {
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${day}`;
    case 'fortnightly':
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`;
    case 'monthly-first':
      return `FREQ=MONTHLY;BYDAY=1${day}`;
    case 'monthly-last-workday':
      return 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1';
    case 'workdays':
      return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
  }
}

/** The pattern a series' rule is, given its start; undefined when it is none of them. */
export function patternOf(rule: string, startLocal: string): MeetingPattern | undefined {
  return MEETING_PATTERNS.find((p) => patternRule(p, startLocal) === rule);
}
