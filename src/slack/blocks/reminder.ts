import type { ActionItem } from '../../db/action-items.table.js';
import { formatItemNo } from '../../domain/action-item.js';
import type { ReminderKind } from '../../domain/reminder-plan.js';
import type { Messages } from '../../i18n/index.js';
import { dueText, formatInstant } from '../../domain/time.js';
import { mrkdwn, type KnownBlock, type Message } from '../kit.js';
import { clip, esc, mention } from '../mrkdwn.js';
import { itemButtons, ownerText, spanWords } from './action-item.js';

export interface ReminderView {
  item: ActionItem;
  kind: ReminderKind;
  caseRef: string;
  unitName: string | null;
  zone: string;
  now: Date;
  /** When the reminder should have gone out. */
  fireAt: Date;
  late: boolean;
  /** Sent after a dead attempt without being able to check that it had not gone out already. */
  possibleRepeat?: boolean;
  /** For escalations: who is called on. */
  supervisor?: string | null;
  coordinators?: string[];
}

/**
 * A reminder, rendered at send time from the item as it is now (so a reminder delayed by a
 * rate limit or an outage never shows a stale due date), with the item's buttons.
 */
export function reminderMessage(v: ReminderView, m: Messages): Message {
  const { item, zone, now } = v;
  const id = formatItemNo(item.seq);
  const text = esc(clip(item.text, 500));
  const when = dueText(item.due_at, zone, m);
  const left = item.due_at.getTime() - now.getTime();
  const status = left > 0 ? m.actionReminderDueIn(id, v.caseRef, spanWords(left, m), when, text) : left > -60_000 ? m.actionReminderDueNow(id, v.caseRef, when, text) : m.actionReminderOverdue(id, v.caseRef, spanWords(left, m), when, text);
  let body: string;
  if (v.kind === 'escalation') {
    const people = [...new Set([v.supervisor, ...(v.coordinators ?? [])].filter((u): u is string => !!u))].map(mention);
    body = m.actionEscalation(id, v.caseRef, spanWords(left, m), ownerText(item, v.unitName, m), people, when, text);
  } else body = v.kind === 'snoozed' ? m.actionSnoozeOver(status) : status;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(body, 3000)) }];
  // In the blocks, not only the log: the reader is the one who can tell it is a second copy.
  if (v.possibleRepeat) blocks.push({ type: 'context', elements: [mrkdwn(m.actionRepeatNote)] });
  if (v.late) blocks.push({ type: 'context', elements: [mrkdwn(m.actionLateNote(formatInstant(v.fireAt, zone)))] });
  blocks.push(itemButtons(item, m));
  return { text: clip(body, 3000), blocks };
}

export interface OwnershipView {
  item: ActionItem;
  kind: 'assigned' | 'released';
  caseRef: string;
  unitName: string | null;
  zone: string;
  /** Who gave it. */
  by: string;
}

/** A direct message to a new owner (the item, its case, due date and buttons), or to the one it was taken from. */
export function ownershipMessage(v: OwnershipView, m: Messages): Message {
  const id = formatItemNo(v.item.seq);
  const text = esc(clip(v.item.text, 500));
  const body =
    v.kind === 'assigned'
      ? m.actionAssigned(id, v.caseRef, mention(v.by), dueText(v.item.due_at, v.zone, m), text)
      : m.actionReleased(id, v.caseRef, mention(v.by), ownerText(v.item, v.unitName, m), text);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(body, 3000)) }];
  if (v.kind === 'assigned') blocks.push(itemButtons(v.item, m));
  return { text: clip(body, 3000), blocks };
}

export interface ItemNowView {
  item: ActionItem;
  caseRef: string;
  unitName: string | null;
  zone: string;
  now: Date;
  /** The message offered the item's buttons when sent: it still does while the item is open. */
  buttons: boolean;
}

/**
 * What a message docket sent about an item becomes after the item changed (chat.update): the
 * item as it is now. Done or cancelled, who closed it, and no buttons; open, its owner and due
 * time (and a snooze), with the buttons it had.
 */
export function itemNowMessage(v: ItemNowView, m: Messages): Message {
  const { item } = v;
  const id = formatItemNo(item.seq);
  let body: string;
  if (item.state === 'open') body = m.actionCardOpen(id, v.caseRef, esc(clip(item.text, 500)), ownerText(item, v.unitName, m), dueText(item.due_at, v.zone, m));
  else if (!item.closed_by) body = m.actionCardClosed(id, esc(clip(item.text, 200)), m.actionStateName(item.state));
  // The words a Done button's own answer uses: the message clicked and the others read alike.
  else body = item.state === 'done' ? m.actionDone(id, esc(clip(item.text, 200)), item.closed_by) : m.actionCardCancelled(id, esc(clip(item.text, 200)), item.closed_by);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(body, 3000)) }];
  const notes = [m.actionCardUpdated];
  if (item.state === 'open' && item.snoozed_until && item.snoozed_until > v.now) notes.unshift(m.actionCardSnoozed(formatInstant(item.snoozed_until, v.zone)));
  blocks.push({ type: 'context', elements: notes.map((n) => mrkdwn(n)) });
  if (item.state === 'open' && v.buttons) blocks.push(itemButtons(item, m));
  return { text: clip(body, 3000), blocks };
}
