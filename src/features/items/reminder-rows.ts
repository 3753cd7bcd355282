import type { ActionItem } from '../../db/action-items.table.js';
import type { ReminderKind } from '../../domain/reminder-plan.js';
import type { NewOutboxRow } from '../../platform/outbox/outbox.table.js';

/** Outbox rows about an action item carry this subject type; their kinds are `item.<kind>`. */
export const ITEM_SUBJECT = 'item';
export const itemKind = (k: ReminderKind) => `item.${k}`;
export const reminderKindOf = (outboxKind: string) => outboxKind.slice(ITEM_SUBJECT.length + 1) as ReminderKind;

/** One item, kind, moment and person make one message: its dedupe key. */
export const reminderKey = (itemId: number, kind: ReminderKind, moment: Date, channel: string) => `${ITEM_SUBJECT}:${itemId}:${kind}:${channel}:${moment.getTime()}`;

/**
 * An item's reminder as an outbox row, going at `fireAt` (its moment unless said otherwise):
 * planning it twice (two paths racing to plan tomorrow's, a re-plan) keeps one row, and one
 * already sent is not sent again.
 */
export function reminderRow(item: Pick<ActionItem, 'id' | 'team_id' | 'group_id'>, kind: ReminderKind, moment: Date, channel: string, fireAt = moment): NewOutboxRow {
  return {
    team_id: item.team_id,
    group_id: item.group_id,
    kind: itemKind(kind),
    subject_type: ITEM_SUBJECT,
    subject_id: item.id,
    dedupe_key: reminderKey(item.id, kind, moment, channel),
    fire_at: fireAt,
    channel,
  };
}

/** Direct messages about who owns an item: to a new owner (`assigned`), and to the one it was taken from (`released`). */
export const OWNERSHIP_KINDS = ['assigned', 'released'] as const;
export type OwnershipKind = (typeof OWNERSHIP_KINDS)[number];
export const ownershipKind = (k: OwnershipKind) => `${ITEM_SUBJECT}.${k}`;

/** One change of owner tells each person once: the moment of the change is part of the key. */
export function ownershipRow(item: Pick<ActionItem, 'id' | 'team_id' | 'group_id'>, kind: OwnershipKind, to: string, at: Date, by: string): NewOutboxRow {
  return {
    team_id: item.team_id,
    group_id: item.group_id,
    kind: ownershipKind(kind),
    subject_type: ITEM_SUBJECT,
    subject_id: item.id,
    dedupe_key: `${ITEM_SUBJECT}:${item.id}:${kind}:${to}:${at.getTime()}`,
    fire_at: at,
    channel: to,
    payload: { by },
  };
}
