import type { CaseRow } from '../../db/cases.table.js';
import type { Unit } from '../../db/units.table.js';
import { OUTCOMES, SETTABLE_STATUSES } from '../../domain/case-status.js';
import { LIMITS } from '../../domain/case-fields.js';
import type { Messages } from '../../i18n/index.js';
import { mrkdwn, plain, type InputBlock, type ModalView, type PlainTextOption } from '../kit.js';
import { parseRef } from '../../domain/case-ref.js';
import { escClip, withoutControls } from '../mrkdwn.js';
import { isChannelId } from '../ids.js';

export const VIEWS = {
  open: 'case.open',
  edit: 'case.edit',
  note: 'case.note',
  plan: 'case.plan',
  status: 'case.status',
  close: 'case.close',
} as const;

/** What a modal remembers between opening and submission: where it was opened, which case. */
export interface ModalMeta {
  channel: string;
  ref?: string;
  /** The case's updated_at when the form opened: saving refuses if it changed meanwhile. */
  version?: string;
}

/** Every input's action id; the block id names the field. */
const V = 'v';

export function text(blockId: string, label: string, o: { max: number; optional?: boolean; multiline?: boolean; initial?: string | null; placeholder?: string; hint?: string }): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: o.optional ?? true,
    label: plain(label),
    ...(o.hint ? { hint: plain(o.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: V,
      max_length: o.max,
      multiline: o.multiline ?? false,
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
  };
}

function date(blockId: string, label: string, o: { optional?: boolean; initial?: string | null; placeholder: string }): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: o.optional ?? true,
    label: plain(label),
    element: { type: 'datepicker', action_id: V, placeholder: plain(o.placeholder), ...(o.initial ? { initial_date: o.initial } : {}) },
  };
}

export function select(blockId: string, label: string, options: PlainTextOption[], o: { optional?: boolean; initial?: string | null }): InputBlock {
  const initial = options.find((x) => x.value === o.initial);
  return {
    type: 'input',
    block_id: blockId,
    optional: o.optional ?? true,
    label: plain(label),
    element: { type: 'static_select', action_id: V, options, ...(initial ? { initial_option: initial } : {}) },
  };
}

export function modal(callbackId: string, title: string, submit: string, meta: ModalMeta, blocks: InputBlock[], m: Messages): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain(submit),
    close: plain(m.modalClose),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** Every form names what it acts on, in a line above its inputs (several may be open at once). */
export function naming(view: ModalView, about: string): ModalView {
  return { ...view, blocks: [{ type: 'context', elements: [mrkdwn(about)] }, ...view.blocks] };
}

/** A case, as a form names it: its reference and title. */
export const caseNamed = (c: Pick<CaseRow, 'ref' | 'title'>): string => `*${c.ref}* · ${escClip(c.title, 150)}`;

export function unitOptions(units: Unit[]): PlainTextOption[] {
  return units.slice(0, 100).map((u) => ({ text: plain([...u.name].slice(0, 75).join('')), value: String(u.id) }));
}

/**
 * The fields shared by the open and edit forms, filled from `c` when editing. A case whose
 * unit was removed since keeps it as an option, so saving the form does not drop it.
 */
function caseFields(m: Messages, active: Unit[], today: string, c?: CaseRow, caseUnit?: Unit): InputBlock[] {
  const units = caseUnit && caseUnit.archived_at ? [...active.slice(0, 99), caseUnit] : active;
  const blocks: InputBlock[] = [
    text('title', m.fieldTitle, { max: LIMITS.title, optional: false, initial: c?.title }),
    text('subject', m.fieldSubject, { max: LIMITS.subject, initial: c?.subject }),
    text('category', m.fieldCategory, { max: LIMITS.category, initial: c?.category }),
  ];
  if (units.length) blocks.push(select('unit', m.fieldUnit, unitOptions(units), { initial: c?.origin_unit_id ? String(c.origin_unit_id) : null }));
  blocks.push(
    date('opened', m.fieldOpened, { optional: false, initial: c?.opened_on ?? today, placeholder: m.placeholderDate }),
    date('since', m.fieldSince, { initial: c?.at_large_since, placeholder: m.placeholderDate }),
    text('location', m.fieldLocation, { max: LIMITS.location, initial: c?.last_location }),
  );
  return blocks;
}

function supervisorInput(m: Messages, initial: string | null | undefined): InputBlock {
  return {
    type: 'input',
    block_id: 'supervisor',
    optional: true,
    label: plain(m.fieldSupervisor),
    hint: plain(m.hintSupervisor),
    element: { type: 'users_select', action_id: V, ...(initial ? { initial_user: initial } : {}) },
  };
}

/** Supervision is a coordinator's decision: only coordinators see the field. */
export function openCaseModal(meta: ModalMeta, o: { units: Unit[]; today: string; currency: string; canSupervise: boolean }, m: Messages): ModalView {
  const blocks = caseFields(m, o.units, o.today);
  blocks.push(text('plan', m.fieldPlan, { max: LIMITS.plan, multiline: true }));
  if (o.canSupervise) blocks.push(supervisorInput(m, null));
  blocks.push(text('amount', m.fieldAmountInvolved, { max: 40, placeholder: m.placeholderAmount, hint: m.hintAmount(o.currency) }));
  return modal(VIEWS.open, m.modalOpenTitle, m.modalOpenSubmit, meta, blocks, m);
}

export function editCaseModal(meta: ModalMeta, c: CaseRow, o: { units: Unit[]; caseUnit?: Unit; canSupervise: boolean }, m: Messages): ModalView {
  const blocks = caseFields(m, o.units, c.opened_on, c, o.caseUnit);
  if (o.canSupervise) blocks.push(supervisorInput(m, c.supervisor_user_id));
  return modal(VIEWS.edit, m.modalEditTitle, m.modalSubmit, { ...meta, version: c.updated_at.toISOString() }, blocks, m);
}

export function noteModal(meta: ModalMeta, m: Messages): ModalView {
  return modal(VIEWS.note, m.modalNoteTitle, m.modalSubmit, meta, [text('note', m.fieldNote, { max: LIMITS.note, optional: false, multiline: true })], m);
}

export function planModal(meta: ModalMeta, current: string | null, m: Messages): ModalView {
  return modal(VIEWS.plan, m.modalPlanTitle, m.modalSubmit, meta, [text('plan', m.fieldPlan, { max: LIMITS.plan, optional: false, multiline: true, initial: current })], m);
}

export function statusModal(meta: ModalMeta, c: CaseRow, m: Messages): ModalView {
  const options = SETTABLE_STATUSES.filter((s) => s !== c.status).map((s) => ({ text: plain(m.statusName(s)), value: s }));
  return modal(
    VIEWS.status,
    m.modalStatusTitle,
    m.modalSubmit,
    meta,
    [select('status', m.fieldStatus, options, { optional: false }), text('when', m.fieldWhen, { max: 60, placeholder: m.placeholderWhen }), ...placeInputs(m)],
    m,
  );
}

export function closeModal(meta: ModalMeta, m: Messages): ModalView {
  const options = OUTCOMES.map((o) => ({ text: plain(m.outcomeName(o)), value: o }));
  return modal(
    VIEWS.close,
    m.modalCloseTitle,
    m.modalCloseSubmit,
    meta,
    [
      select('outcome', m.fieldOutcome, options, { optional: false }),
      text('note', m.fieldNote, { max: LIMITS.closeNote, multiline: true }),
      text('when', m.fieldWhen, { max: 60, placeholder: m.placeholderWhen }),
      ...placeInputs(m),
    ],
    m,
  );
}

/** Where the subject was found (custody, close): region and city, both optional. */
function placeInputs(m: Messages) {
  return [text('region', m.fieldRegion, { max: LIMITS.place, placeholder: m.placeholderRegion }), text('city', m.fieldCity, { max: LIMITS.place, placeholder: m.placeholderCity })];
}

type StateValue = {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_user?: string | null;
  selected_options?: { value: string }[] | null;
};

/** Reads a submitted view's inputs into field → value (null when left empty). */
export function readState(state: { values: Record<string, Record<string, StateValue>> }): Record<string, string | null> {
  // Block ids come from the payload: no prototype for a forged "__proto__" or "constructor" to reach.
  const out = Object.create(null) as Record<string, string | null>;
  for (const [blockId, actions] of Object.entries(state.values)) {
    const v = actions[V];
    if (!v) continue;
    // Several picked options come as one value, comma-separated (option values here are ids); none picked is none.
    const picked = Array.isArray(v.selected_options) ? v.selected_options.map((o) => o?.value).filter((x) => typeof x === 'string').join(',') || null : null;
    const value = v.value ?? v.selected_option?.value ?? v.selected_date ?? v.selected_time ?? v.selected_user ?? picked;
    out[blockId] = value === null ? null : withoutControls(value);
  }
  return out;
}

/**
 * What a form remembered, as it comes back with the submission: checked like any input, since
 * the payload's sender shapes it. A field that does not pass is dropped (a bad channel becomes
 * none), and the form that needs it answers that it no longer works.
 */
/** What any form remembers, read back from its private_metadata (each form uses its own fields). */
export type FormMeta = ModalMeta & { item?: number; meeting?: number; minutes?: string };

export function readMeta(raw: string): FormMeta {
  let meta: unknown;
  try {
    meta = JSON.parse(raw);
  } catch {
    return { channel: '' };
  }
  if (typeof meta !== 'object' || meta === null) return { channel: '' };
  const { channel, ref, version, item, meeting, minutes } = meta as Record<string, unknown>;
  const canonical = typeof ref === 'string' ? parseRef(ref) : undefined;
  return {
    channel: typeof channel === 'string' && isChannelId(channel) ? channel : '',
    ...(canonical ? { ref: canonical } : {}),
    ...(typeof version === 'string' && version.length <= 40 ? { version } : {}),
    // Other forms add fields of their own: an action item's id.
    ...(typeof item === 'number' && Number.isSafeInteger(item) && item > 0 ? { item } : {}),
    // A meeting series' number in its group.
    ...(typeof meeting === 'number' && Number.isSafeInteger(meeting) && meeting > 0 ? { meeting } : {}),
    // The minutes form's meeting: series id and the instant it was held (read again by its own parser).
    ...(typeof minutes === 'string' && /^\d{1,15}:\d{1,15}$/.test(minutes) ? { minutes } : {}),
  };
}
