import type { ActionItem } from '../../db/action-items.table.js';
import type { ItemListRow } from '../../db/action-items.repo.js';
import { formatItemNo, isOverdue } from '../../domain/action-item.js';
import type { Messages } from '../../i18n/index.js';
import { dueText, formatInstant } from '../../domain/time.js';
import { mrkdwn, plain, type Button, type KnownBlock, type Message } from '../kit.js';
import { clip, esc, mention } from '../mrkdwn.js';
import { ITEM_ACTIONS } from './action-ids.js';
import { chunkLines } from './case-card.js';

export { ITEM_ACTIONS } from './action-ids.js';

/** How long, in words: "2 days 3 hours", "45 minutes". */
export function spanWords(ms: number, m: Messages): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return m.actionSpan({ days, hours, minutes: 0 });
  return m.actionSpan({ days: 0, hours, minutes: hours >= 6 ? 0 : mins });
}

/** Due time as the group reads it: "2026-12-04 17:00 (Asia/Shanghai)". */

export function ownerText(item: Pick<ActionItem, 'owner_user_id'>, unitName: string | null, m: Messages): string {
  return item.owner_user_id ? mention(item.owner_user_id) : m.actionUnitOwner(esc(unitName ?? '?'));
}

/** Where an item stands: due in…, overdue by…, done, cancelled. */
export function standing(item: ActionItem, zone: string, now: Date, m: Messages): string {
  if (item.state !== 'open') return m.actionStateName(item.state);
  const left = item.due_at.getTime() - now.getTime();
  return isOverdue(item, now) ? m.actionOverdueBy(spanWords(left, m)) : m.actionDueIn(spanWords(left, m));
}

export function itemButtons(item: ActionItem, m: Messages): KnownBlock {
  // The row id, not the number: a reminder's buttons work in a direct message, where no channel says which group's #3 it is.
  const v = String(item.id);
  const b = (action_id: string, text: string, style?: 'primary' | 'danger'): Button => ({ type: 'button', action_id, text: plain(text), value: v, ...(style ? { style } : {}) });
  const elements =
    item.state === 'open'
      ? [
          b(ITEM_ACTIONS.done, m.actionButtonDone, 'primary'),
          b(ITEM_ACTIONS.snooze1h, m.actionButtonSnooze('1h')),
          b(ITEM_ACTIONS.snooze1d, m.actionButtonSnooze('1d')),
          b(ITEM_ACTIONS.snooze1w, m.actionButtonSnooze('1w')),
          b(ITEM_ACTIONS.reassign, m.actionButtonReassign),
        ]
      : [b(ITEM_ACTIONS.reopen, m.actionButtonReopen)];
  return { type: 'actions', block_id: `item_${item.id}`, elements };
}

export interface CardInput {
  item: ActionItem;
  caseRef: string;
  unitName: string | null;
  zone: string;
  now: Date;
  /** The reader may work it: without that, no buttons (an observer's card offers nothing to refuse). */
  mayWork: boolean;
}

/** One item, with the buttons its reader may use: the reply to `/action show` and `/action add`. */
export function itemCard(d: CardInput, m: Messages, lead?: string): Message {
  const { item } = d;
  const title = `${formatItemNo(item.seq)} · ${item.text}`;
  const fields = [
    mrkdwn(`*${m.actionFieldCase}*\n${d.caseRef}`),
    mrkdwn(`*${m.actionFieldOwner}*\n${ownerText(item, d.unitName, m)}`),
    mrkdwn(`*${m.actionFieldDue}*\n${dueText(item.due_at, d.zone, m)}`),
    mrkdwn(`*${m.actionFieldState}*\n${standing(item, d.zone, d.now, m)}`),
  ];
  if (item.state === 'open' && item.snoozed_until && item.snoozed_until > d.now) fields.push(mrkdwn(`*${m.actionFieldSnoozed}*\n${formatInstant(item.snoozed_until, d.zone)}`));
  const blocks: KnownBlock[] = [];
  if (lead) blocks.push({ type: 'section', text: mrkdwn(lead) });
  blocks.push({ type: 'header', text: plain(clip(title, 150)) }, { type: 'section', fields });
  if (d.mayWork) blocks.push(itemButtons(item, m));
  return { text: lead ?? esc(clip(title, 300)), blocks };
}

export function itemLine(i: ItemListRow, zone: string, now: Date, m: Messages): string {
  const flag = isOverdue(i, now) ? ':warning: ' : '';
  return `${flag}*${formatItemNo(i.seq)}* ${i.case_ref} · ${esc(clip(i.text, 80))} · ${ownerText(i, i.unit_name, m)} · ${m.actionDueShort(formatInstant(i.due_at, zone))}${m.aside(standing(i, zone, now, m))}`;
}

export function itemList(rows: ItemListRow[], title: string, zone: string, now: Date, m: Messages, more: boolean): Message {
  if (rows.length === 0) return { text: `${title}\n${m.actionListEmpty}` };
  const lines = rows.map((r) => itemLine(r, zone, now, m));
  if (more) lines.push(m.actionListMore);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(title) }];
  for (const chunk of chunkLines(lines, 2900).slice(0, 45)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  return { text: title, blocks };
}
