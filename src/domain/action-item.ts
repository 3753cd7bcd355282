import { Temporal } from './time.js';

/** An item is open, done or cancelled; "overdue" is derived: open and past its due time. */
export const ITEM_STATES = ['open', 'done', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const ITEM_TEXT_MAX = 500;

/** A due date given without a time means the end of that working day, in the group's zone. */
export const DEFAULT_DUE_HOUR = 17;

export function isOverdue(item: { state: ItemState; due_at: Date }, now: Date): boolean {
  return item.state === 'open' && item.due_at.getTime() <= now.getTime();
}

/** Snooze choices offered on buttons and by `/action snooze`. */
export const SNOOZES = ['1h', '1d', '1w'] as const;
export type Snooze = (typeof SNOOZES)[number];

export function isSnooze(v: string): v is Snooze {
  return (SNOOZES as readonly string[]).includes(v);
}

/**
 * The end of a snooze. Days and weeks are calendar days in the group's zone, so "1 day"
 * across a daylight-saving change still means the same wall time tomorrow.
 */
export function snoozeEnd(now: Date, snooze: Snooze, zone: string): Date {
  const at = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone);
  const later = snooze === '1h' ? at.add({ hours: 1 }) : at.add({ days: snooze === '1d' ? 1 : 7 });
  return new Date(later.epochMilliseconds);
}

/** Item numbers as people type them: 12 or #12 (the group's twelfth item). */
export function parseItemNo(text: string | undefined): number | undefined {
  const m = /^#?(\d{1,10})$/.exec(text?.trim() ?? '');
  const n = m ? Number(m[1]) : NaN;
  // The column is a Postgres integer: a larger number could name no item.
  return Number.isSafeInteger(n) && n > 0 && n <= 2 ** 31 - 1 ? n : undefined;
}

/** An item as people see it: its number in its group, `#12`. */
export const formatItemNo = (seq: number): string => `#${seq}`;
