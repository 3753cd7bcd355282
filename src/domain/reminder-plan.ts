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
  /** The moment it is about: with the item, kind and recipient, its identity (planning again finds the same one). */
  moment: Date;
  /** When it goes: its moment, or now for an escalation whose moment had passed when it was planned. */
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

/**
 * Every reminder the item's current state calls for, past moments included: the owner's
 * before and due reminders (those a snooze covers are quieted; its end gets one instead) and
 * the escalation (a snooze quiets the owner, not the supervisor). Re-planning keeps a reminder
 * already planned when it is still owed, so one already due is not dropped by a change that
 * did not concern it.
 */
export function owedReminders(p: PlanInput): PlannedReminder[] {
  const { dueAt, zone, settings: s, now } = p;
  const snoozed = p.snoozedUntil && p.snoozedUntil.getTime() > now.getTime() ? p.snoozedUntil : null;
  const out: PlannedReminder[] = [];
  const owner = (kind: ReminderKind, moment: Date) => {
    if (!snoozed || moment.getTime() > snoozed.getTime()) out.push({ kind, moment, fireAt: moment, audience: 'owner' });
  };
  if (snoozed) out.push({ kind: 'snoozed', moment: snoozed, fireAt: snoozed, audience: 'owner' });
  for (const minutes of s.beforeMinutes) owner('before', new Date(dueAt.getTime() - minutes * 60_000));
  if (s.atDue) owner('due', dueAt);
  // The daily reminder while overdue is the group's schedule (src/features/items/overdue-schedule.ts), not the item's.
  if (s.escalateAfterDays !== null) {
    const at = escalationAt(dueAt, zone, s.escalateAfterDays);
    // Added or moved already past its escalation point: it escalates now, once (the moment,
    // not the sending time, identifies it, so planning again does not escalate again).
    out.push({ kind: 'escalation', moment: at, fireAt: at.getTime() < now.getTime() ? now : at, audience: 'channel' });
  }
  return out.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/** The owed reminders still to send: those whose time has not passed (a moment equal to now still counts). */
export function planReminders(p: PlanInput): PlannedReminder[] {
  return owedReminders(p).filter((r) => r.fireAt.getTime() >= p.now.getTime());
}
