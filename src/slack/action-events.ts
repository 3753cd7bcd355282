import type { AuditEvent } from '../db/audit.table.js';
import { formatItemId } from '../domain/action-item.js';
import type { Messages } from '../i18n/index.js';
import { formatInstant } from './format.js';
import { channelMention, clip, esc, mention } from './mrkdwn.js';

/** Who a reminder went to: a person (DM) or a channel. */
const recipient = (to: unknown) => (/^[UW]/.test(String(to)) ? mention(String(to)) : channelMention(String(to)));

type Json = Record<string, any> | null;

/** Timeline lines for action-item events (`action.*`); undefined for any other kind. */
export function describeActionEvent(e: AuditEvent, m: Messages, zone: string): string | undefined {
  const a = (e.after as Json) ?? {};
  const id = formatItemId(Number(a.id));
  const ev = m.actionEvent;
  switch (e.kind) {
    case 'action.added':
      return ev.added(id, esc(clip(String(a.text ?? ''), 200)));
    case 'action.done':
      return ev.done(id);
    case 'action.cancelled':
      return ev.cancelled(id);
    case 'action.reopened':
      return ev.reopened(id);
    case 'action.due':
      return ev.due(id, formatInstant(new Date(String(a.due_at)), zone));
    case 'action.reassigned':
      return ev.reassigned(id, a.owner_user_id ? mention(String(a.owner_user_id)) : m.actionUnitOwner(`#${a.owner_unit_id}`));
    case 'action.snoozed':
      return ev.snoozed(id, formatInstant(new Date(String(a.snoozed_until)), zone));
    case 'action.escalated':
      return ev.escalated(id);
    case 'action.reminder_failed':
      return ev.failed(id, recipient(a.to), esc(String(a.error)));
    case 'action.reminder_unverified':
      return ev.unverified(id, recipient(a.to), esc(String(a.error)));
    case 'reminders.settings':
      return ev.settings;
    default:
      return undefined;
  }
}
