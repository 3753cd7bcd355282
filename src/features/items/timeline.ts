import type { ActionItem } from '../../db/action-items.table.js';
import { formatItemId, type Snooze } from '../../domain/action-item.js';
import type { ReminderSettings } from '../../domain/reminder-settings.js';
import { clip, esc } from '../../lib/text.js';
import type { Describers } from '../../platform/timeline/timeline.js';
import { formatInstant } from '../../domain/time.js';
import { channelMention, mention } from '../../slack/mrkdwn.js';

type Owner = { owner_user_id: string | null; owner_unit_id: number | null };
type State = { state: ActionItem['state'] };
/** A reminder that went (or could not go) to a person (a DM) or a channel. */
type Delivery = { id: number; reminder: number; to: string; error: string };

/** What action items record on their case's timeline, kind by kind. */
export type ItemEvents = {
  'action.added': { before: null; after: Owner & { id: number; text: string; due_at: string } };
  'action.done': { before: State; after: State & { id: number } };
  /** `reason`: set when docket cancelled it with its case (`case_closed`), absent when a person did. */
  'action.cancelled': { before: State; after: State & { id: number; reason?: 'case_closed' } };
  'action.reopened': { before: State; after: State & { id: number } };
  'action.due': { before: { due_at: string }; after: { id: number; due_at: string } };
  'action.reassigned': { before: Owner; after: Owner & { id: number } };
  'action.snoozed': { before: { snoozed_until: string | null }; after: { id: number; snooze: Snooze; snoozed_until: string } };
  'action.escalated': { before: null; after: { id: number; late: boolean } };
  'action.reminder_failed': { before: null; after: Delivery };
  'action.reminder_unverified': { before: null; after: Delivery };
  'reminders.settings': { before: ReminderSettings; after: ReminderSettings };
};

const recipient = (to: string) => (/^[UW]/.test(to) ? mention(to) : channelMention(to));
const id = (a: { id: number }) => formatItemId(a.id);

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
