import type { ActionItem } from '../../db/action-items.table.js';
import type { AuditEvent } from '../../db/audit.table.js';
import type { Executor } from '../../db/database.js';
import { formatItemNo, type Snooze } from '../../domain/action-item.js';
import type { ReminderSettings } from '../../domain/reminder-settings.js';
import { clip, esc } from '../../lib/text.js';
import type { Describers } from '../../platform/timeline/timeline.js';
import { formatInstant } from '../../domain/time.js';
import { channelMention, mention } from '../../slack/mrkdwn.js';

type Owner = { owner_user_id: string | null; owner_unit_id: number | null };
type State = { state: ActionItem['state'] };
/**
 * The item an entry is about: its row id, and its number in its group (`no`, what people see;
 * absent in entries written before items had numbers, which withItemNumbers() fills in).
 */
type Tag = { id: number; no?: number };
/** A reminder that went (or could not go) to a person (a DM) or a channel. */
type Delivery = Tag & { reminder: number; to: string; error: string };

/** What action items record on their case's timeline, kind by kind. */
export type ItemEvents = {
  'action.added': { before: null; after: Owner & Tag & { text: string; due_at: string } };
  'action.done': { before: State; after: State & Tag };
  /** `reason`: set when docket cancelled it with its case (`case_closed`), absent when a person did. */
  'action.cancelled': { before: State; after: State & Tag & { reason?: 'case_closed' } };
  'action.reopened': { before: State; after: State & Tag };
  'action.due': { before: { due_at: string }; after: Tag & { due_at: string } };
  'action.reassigned': { before: Owner; after: Owner & Tag };
  'action.snoozed': { before: { snoozed_until: string | null }; after: Tag & { snooze: Snooze; snoozed_until: string } };
  'action.escalated': { before: null; after: Tag & { late: boolean } };
  'action.reminder_failed': { before: null; after: Delivery };
  'action.reminder_unverified': { before: null; after: Delivery };
  'reminders.settings': { before: ReminderSettings; after: ReminderSettings };
};

const recipient = (to: string) => (/^[UW]/.test(to) ? mention(to) : channelMention(to));
// Without a number (an entry no read filled in), the id: the same number in a single-group
// workspace, where ids were numbered in the same order.
const id = (a: Tag) => formatItemNo(a.no ?? a.id);

export const itemTimeline: Describers<ItemEvents> = {
  'action.added': ({ after }, { m }) => m.actionEvent.added(id(after), esc(clip(after.text, 200))),
  'action.done': ({ after }, { m }) => m.actionEvent.done(id(after)),
  'action.cancelled': ({ after }, { m }) => (after.reason === 'case_closed' ? m.actionEvent.cancelledWithCase(id(after)) : m.actionEvent.cancelled(id(after))),
  'action.reopened': ({ after }, { m }) => m.actionEvent.reopened(id(after)),
  'action.due': ({ after }, { m, zone }) => m.actionEvent.due(id(after), formatInstant(new Date(after.due_at), zone)),
  'action.reassigned': ({ after }, { m }) => m.actionEvent.reassigned(id(after), after.owner_user_id ? mention(after.owner_user_id) : m.actionUnitOwner(`#${after.owner_unit_id}`)),
  'action.snoozed': ({ after }, { m, zone }) => m.actionEvent.snoozed(id(after), formatInstant(new Date(after.snoozed_until), zone)),
  'action.escalated': ({ after }, { m }) => m.actionEvent.escalated(id(after)),
  'action.reminder_failed': ({ after }, { m }) => m.actionEvent.failed(id(after), recipient(after.to), esc(after.error)),
  'action.reminder_unverified': ({ after }, { m }) => m.actionEvent.unverified(id(after), recipient(after.to), esc(after.error)),
  'reminders.settings': (_e, { m }) => m.actionEvent.settings,
};

/** An item entry written before items had numbers: its `after` names the item by row id only. */
function unnumbered(e: AuditEvent): (Tag & Record<string, unknown>) | undefined {
  const a = e.after as (Tag & Record<string, unknown>) | null;
  return e.kind.startsWith('action.') && typeof a?.id === 'number' && a.no === undefined ? a : undefined;
}

/**
 * Entries as read, with each item entry's number filled in where it was written before items
 * had numbers (the entries themselves are never changed): an item keeps its number for good,
 * so an old entry says #3 as a new one does.
 */
export async function withItemNumbers(db: Executor, events: AuditEvent[]): Promise<AuditEvent[]> {
  const ids = [...new Set(events.flatMap((e) => unnumbered(e)?.id ?? []))];
  if (ids.length === 0) return events;
  const rows = await db.selectFrom('action_items').select(['id', 'seq']).where('id', 'in', ids).execute();
  const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
  return events.map((e) => {
    const a = unnumbered(e);
    const no = a && seqOf.get(a.id);
    return no === undefined ? e : { ...e, after: { ...a, no } };
  });
}
