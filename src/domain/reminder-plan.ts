import type { ReminderSettings } from './reminder-settings.js';
import { Temporal } from './time.js';

/**
 * Which reminders an item should get, as pure values. Only moments still ahead are planned;
 * the daily overdue reminder is planned one at a time (sending one plans the next), so an
 * item never carries an unbounded list of future rows.
 */
export const REMINDER_KINDS = ['before', 'due', 'overdue', 'snoozed', 'escalation'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface PlannedReminder {
  kind: ReminderKind;
  fireAt: Date;
  /** Owner reminders go to the owner (or the unit's people) by direct message; escalations to the group channel. */
  audience: 'owner' | 'channel';
}

export interface PlanInput {
  dueAt: Date;
  zone: string;
  settings: ReminderSettings;
  now: Date;
  snoozedUntil: Date | null;
}

const zoned = (d: Date, zone: string) => Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(zone);
const toDate = (z: Temporal.ZonedDateTime) => new Date(z.epochMilliseconds);

/** N days overdue, at the due time's wall-clock time (calendar days, so DST does not shift it). */
export function escalationAt(dueAt: Date, zone: string, days: number): Date {
  return toDate(zoned(dueAt, zone).add({ days }));
}

export function planReminders(p: PlanInput): PlannedReminder[] {
  const { dueAt, zone, settings: s, now } = p;
  const snoozed = p.snoozedUntil && p.snoozedUntil.getTime() > now.getTime() ? p.snoozedUntil : null;
  // Owner reminders wait out a snooze; without one, a moment equal to now still counts.
  const after = snoozed ?? new Date(now.getTime() - 1);
  const out: PlannedReminder[] = [];
  const owner = (kind: ReminderKind, fireAt: Date) => {
    if (fireAt.getTime() > after.getTime()) out.push({ kind, fireAt, audience: 'owner' });
  };
  if (snoozed) out.push({ kind: 'snoozed', fireAt: snoozed, audience: 'owner' });
  for (const minutes of s.beforeMinutes) owner('before', new Date(dueAt.getTime() - minutes * 60_000));
  if (s.atDue) owner('due', dueAt);
  // The daily reminder while overdue is the group's schedule (src/features/items/overdue-schedule.ts), not the item's.
  // Snoozing quiets the owner, not the supervisor: escalation keeps its time.
  if (s.escalateAfterDays !== null) {
    const at = escalationAt(dueAt, zone, s.escalateAfterDays);
    if (at.getTime() >= now.getTime()) out.push({ kind: 'escalation', fireAt: at, audience: 'channel' });
  }
  return out.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}
