import type { Meeting, MeetingChange } from '../../db/meetings.table.js';
import { nextOccurrence, occurrencesBetween, previousOccurrence, type Recurrence } from '../../domain/recurrence.js';

/**
 * A series as it will be held: its rule's occurrences, less the ones skipped, with moved ones at
 * their new time. Everything that asks "when does it meet" (next dates, reminders, the agenda's
 * "since the last meeting") asks here.
 */
export interface Series {
  meeting: Pick<Meeting, 'rule' | 'start_local' | 'time_zone' | 'cancelled_at'>;
  changes: readonly Pick<MeetingChange, 'occurrence' | 'moved_to'>[];
}

/** The first window searched for upcoming meetings; it doubles until enough are found. */
const FIRST_WINDOW_MS = 35 * 86_400_000;
/** Beyond this, a series is taken to have no more meetings (a rule too sparse to matter). */
const LAST_WINDOW_MS = 200 * 366 * 86_400_000;

export const recurrenceOf = (m: Series['meeting']): Recurrence => ({ rule: m.rule, start: m.start_local, zone: m.time_zone });

const changedAt = (s: Series) => new Set(s.changes.map((c) => c.occurrence.getTime()));

/** The next `n` meetings strictly after `after`, as held; none for a cancelled series. */
export function heldAfter(s: Series, after: Date, n: number): Date[] {
  if (s.meeting.cancelled_at || n <= 0) return [];
  const r = recurrenceOf(s.meeting);
  const changed = changedAt(s);
  let out: Date[] = [];
  // One scan per window, widened (by the density the last one showed) until there are enough
  // or the rule has ended.
  for (let span = FIRST_WINDOW_MS; span <= LAST_WINDOW_MS; ) {
    const to = new Date(after.getTime() + span);
    out = occurrencesBetween(r, after, to).filter((d) => !changed.has(d.getTime()));
    if (out.length >= n || !nextOccurrence(r, to)) break;
    span = out.length ? Math.ceil((span * n * 1.2) / out.length) : span * 4;
  }
  out = out.slice(0, n);
  const moved = s.changes.flatMap((c) => (c.moved_to && c.moved_to > after ? [c.moved_to] : []));
  return [...out, ...moved].sort((a, b) => a.getTime() - b.getTime()).slice(0, n);
}

/** The meetings in (from, to], as held: what the reminders of a window are planned from. */
export function heldBetween(s: Series, from: Date, to: Date): Date[] {
  if (s.meeting.cancelled_at) return [];
  const changed = changedAt(s);
  const moved = s.changes.flatMap((c) => (c.moved_to && c.moved_to > from && c.moved_to <= to ? [c.moved_to] : []));
  return [...occurrencesBetween(recurrenceOf(s.meeting), from, to).filter((d) => !changed.has(d.getTime())), ...moved].sort((a, b) => a.getTime() - b.getTime());
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
  let prev = previousOccurrence(r, at);
  // Skipped or moved ones are not held there (a bounded walk back: a series has few changes).
  for (let i = 0; prev && changed.has(prev.getTime()) && i <= s.changes.length; i++) prev = previousOccurrence(r, prev);
  if (prev && changed.has(prev.getTime())) prev = undefined;
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
