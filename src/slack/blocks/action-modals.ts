import type { Unit } from '../../db/units.table.js';
import { ITEM_TEXT_MAX } from '../../domain/action-item.js';
import type { Messages } from '../../i18n/index.js';
import type { InputBlock, ModalView } from '../kit.js';
import { plain } from '../kit.js';
import { modal, select, text, unitOptions, type ModalMeta } from './case-modals.js';
import { escClip } from '../mrkdwn.js';
import { formatItemNo } from '../../domain/action-item.js';
import type { ActionItem } from '../../db/action-items.table.js';

export const ACTION_VIEWS = { add: 'action.add', reassign: 'action.reassign' } as const;

/** Case modals remember the channel and case; item modals also the item. */
export interface ActionModalMeta extends ModalMeta {
  item?: number;
}

function ownerInputs(units: Unit[], m: Messages): InputBlock[] {
  const blocks: InputBlock[] = [
    { type: 'input', block_id: 'owner', optional: true, label: plain(m.actionFieldOwner), hint: plain(m.actionHintOwner), element: { type: 'users_select', action_id: 'v' } },
  ];
  if (units.length) blocks.push(select('unit', m.actionFieldUnit, unitOptions(units), { optional: true }));
  return blocks;
}

export function addItemModal(meta: ActionModalMeta, units: Unit[], m: Messages): ModalView {
  const blocks = [
    text('text', m.actionFieldText, { max: ITEM_TEXT_MAX, optional: false, multiline: true }),
    ...ownerInputs(units, m),
    text('due', m.actionFieldDue, { max: 80, optional: false, placeholder: m.actionPlaceholderDue, hint: m.actionHintDue }),
  ];
  return modal(ACTION_VIEWS.add, m.actionModalAddTitle, m.modalSubmit, meta, blocks, m);
}

export function reassignModal(meta: ActionModalMeta, units: Unit[], m: Messages): ModalView {
  return modal(ACTION_VIEWS.reassign, m.actionModalReassignTitle, m.modalSubmit, meta, ownerInputs(units, m), m);
}

/** An item, as a form names it: its number, text and case. */
export const itemNamed = (item: Pick<ActionItem, 'seq' | 'text'>, caseRef: string, m: Messages): string => `*${formatItemNo(item.seq)}* · ${escClip(item.text, 150)}${m.aside(`*${caseRef}*`)}`;
