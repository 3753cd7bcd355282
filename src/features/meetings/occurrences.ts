import type { Meeting, MeetingChange } from '../../db/meetings.table.js';
import { nextOccurrence, type Recurrence } from '../../domain/recurrence.js';

/**
 * A series as it will be held: its rule's occurrences, less the ones skipped, with moved ones at
 * their new time. Everything that asks "when does it meet" (next dates, reminders, the agenda's
 * "since the last meeting") asks here.
 */
export interface Series {
  meeting: Pick<Meeting, 'rule' | 'start_local' | 'time_zone' | 'cancelled_at'>;
  changes: readonly Pick<MeetingChange, 'occurrence' | 'moved_to'>[];
}

/** Rule occurrences looked at in one search, at most: far beyond any real series' skips. */
const SEARCH_MAX = 10_000;

export const recurrenceOf = (m: Series['meeting']): Recurrence => ({ rule: m.rule, start: m.start_local, zone: m.time_zone });

const changedAt = (s: Series) => new Set(s.changes.map((c) => c.occurrence.getTime()));

/** The next `n` meetings strictly after `after`, as held; none for a cancelled series. */
export function heldAfter(s: Series, after: Date, n: number): Date[] {
  if (s.meeting.cancelled_at || n <= 0) return [];
  const r = recurrenceOf(s.meeting);
  const changed = changedAt(s);
  const out: Date[] = [];
  let from = after;
  for (let i = 0; out.length < n && i < SEARCH_MAX; i++) {
    const next = nextOccurrence(r, from);
    if (!next) break;
    from = next;
    if (!changed.has(next.getTime())) out.push(next);
  }
  const moved = s.changes.flatMap((c) => (c.moved_to && c.moved_to > after ? [c.moved_to] : []));
  return [...out, ...moved].sort((a, b) => a.getTime() - b.getTime()).slice(0, n);
}

/** Whether the series meets at `at`: a rule occurrence neither skipped nor moved, or where one was moved to. */
export function meetsAt(s: Series, at: Date): boolean {
  if (s.meeting.cancelled_at) return false;
  if (s.changes.some((c) => c.moved_to?.getTime() === at.getTime())) return true;
  if (changedAt(s).has(at.getTime())) return false;
  return nextOccurrence(recurrenceOf(s.meeting), new Date(at.getTime() - 1))?.getTime() === at.getTime();
}

/** The last meeting held before `at`, if any (bounded search from the series' start). */
export function heldBefore(s: Series, at: Date): Date | undefined {
  const r = recurrenceOf(s.meeting);
  const changed = changedAt(s);
  let prev: Date | undefined;
  let from = new Date(0);
  for (let i = 0; i < SEARCH_MAX; i++) {
    const next = nextOccurrence(r, from);
    if (!next || next >= at) break;
    if (!changed.has(next.getTime())) prev = next;
    from = next;
  }
  for (const c of s.changes) if (c.moved_to && c.moved_to < at && (!prev || c.moved_to > prev)) prev = c.moved_to;
  return prev;
}

/** The rule's occurrence on a local date (YYYY-MM-DD) in the series' zone, if it has one there. */
export function occurrenceOn(s: Series, date: string, dateOf: (at: Date) => string): Date | undefined {
  const r = recurrenceOf(s.meeting);
  // From two days before the date (in UTC): every instant of that local day lies after it.
  let from = new Date(Date.parse(`${date}T00:00:00Z`) - 2 * 86_400_000);
  for (let i = 0; i < 100; i++) {
    const next = nextOccurrence(r, from);
    if (!next) return undefined;
    const d = dateOf(next);
    if (d === date) return next;
    if (d > date) return undefined;
    from = next;
  }
  return undefined;
}
