import type { ActionItem } from '../../db/action-items.table.js';
import type { ReminderKind } from '../../domain/reminder-plan.js';
import type { NewOutboxRow } from '../../platform/outbox/outbox.table.js';

/** Outbox rows about an action item carry this subject type; their kinds are `item.<kind>`. */
export const ITEM_SUBJECT = 'item';
export const itemKind = (k: ReminderKind) => `item.${k}`;
export const reminderKindOf = (outboxKind: string) => outboxKind.slice(ITEM_SUBJECT.length + 1) as ReminderKind;

/**
 * An item's reminder as an outbox row. One item, kind, moment and person make one message:
 * planning it twice (two paths racing to plan tomorrow's) keeps one row.
 */
export function reminderRow(item: Pick<ActionItem, 'id' | 'team_id' | 'group_id'>, kind: ReminderKind, fireAt: Date, channel: string): NewOutboxRow {
  return {
    team_id: item.team_id,
    group_id: item.group_id,
    kind: itemKind(kind),
    subject_type: ITEM_SUBJECT,
    subject_id: item.id,
    dedupe_key: `${ITEM_SUBJECT}:${item.id}:${kind}:${channel}:${fireAt.getTime()}`,
    fire_at: fireAt,
    channel,
  };
}
