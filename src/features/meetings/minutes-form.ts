import type { CaseRow } from '../../db/cases.table.js';
import type { Unit } from '../../db/units.table.js';
import { ITEM_TEXT_MAX } from '../../domain/action-item.js';
import type { Messages } from '../../i18n/index.js';
import { mrkdwn, plain, type InputBlock, type KnownBlock, type ModalView, type PlainTextOption } from '../../slack/kit.js';
import { select, text, unitOptions, type FormMeta } from '../../slack/blocks/case-modals.js';
import { clip } from '../../lib/text.js';

export const MINUTES_VIEW = 'meeting.minutes';

/** Cases the form asks about one by one (the agenda's first); others go in one "REF: note" field. */
export const CASE_FIELDS = 10;
/** Decisions the form has room for; more are added afterwards with `/action add`. */
export const DECISIONS = 5;
export const LIMITS = { guests: 1000, notes: 3000, caseNote: 1000, otherCases: 3000 } as const;

/** A decision's inputs: `d1_text`, `d1_case`, … */
export const decisionField = (n: number, field: 'text' | 'case' | 'owner' | 'unit' | 'due') => `d${n}_${field}`;
export const caseField = (caseId: number) => `case_${caseId}`;
/** The case a submitted notes field names (block ids come back from Slack: parsed, not trusted). */
export function caseOfField(blockId: string): number | undefined {
  const id = /^case_([1-9]\d{0,14})$/.exec(blockId)?.[1];
  return id ? Number(id) : undefined;
}

const caseOption = (c: Pick<CaseRow, 'id' | 'ref' | 'title'>): PlainTextOption => ({ text: plain(clip(`${c.ref} ${c.title}`, 75)), value: String(c.id) });

function multiUnits(units: Unit[], initial: number[], m: Messages): InputBlock {
  const options = unitOptions(units);
  const chosen = options.filter((o) => initial.includes(Number(o.value)));
  return {
    type: 'input',
    block_id: 'units',
    optional: true,
    label: plain(m.minutesFieldUnits),
    element: { type: 'multi_static_select', action_id: 'v', options, ...(chosen.length ? { initial_options: chosen } : {}) },
  };
}

function decision(n: number, cases: PlainTextOption[], units: Unit[], m: Messages): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    text(decisionField(n, 'text'), m.minutesDecision(n), { max: ITEM_TEXT_MAX, multiline: true, ...(n === 1 ? { hint: m.minutesHintDecision } : {}) }),
  ];
  if (cases.length) blocks.push(select(decisionField(n, 'case'), m.minutesFieldCase, cases, {}));
  blocks.push({ type: 'input', block_id: decisionField(n, 'owner'), optional: true, label: plain(m.minutesFieldOwner), element: { type: 'users_select', action_id: 'v' } });
  if (units.length) blocks.push(select(decisionField(n, 'unit'), m.minutesFieldOwnerUnit, unitOptions(units), {}));
  blocks.push({ type: 'input', block_id: decisionField(n, 'due'), optional: true, label: plain(m.minutesFieldDue), element: { type: 'datepicker', action_id: 'v', placeholder: plain(m.placeholderDate) } });
  return blocks;
}

/**
 * The minutes form of one meeting: attendance (units, and guests by name), notes, notes on the
 * agenda's cases one by one and on any other case as "REF: note" lines, and up to DECISIONS
 * decisions, each with its case, owner and due date. Well under Slack's 100 blocks.
 */
export function minutesModal(meta: FormMeta, o: { about: string; units: Unit[]; attending: number[]; agendaCases: CaseRow[]; openCases: CaseRow[] }, m: Messages): ModalView {
  const caseOptions = o.openCases.slice(0, 100).map(caseOption);
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [mrkdwn(o.about)] },
    ...(o.units.length ? [multiUnits(o.units, o.attending, m)] : []),
    text('guests', m.minutesFieldGuests, { max: LIMITS.guests, multiline: true, hint: m.minutesHintGuests }),
    text('notes', m.minutesFieldNotes, { max: LIMITS.notes, multiline: true }),
    ...o.agendaCases.slice(0, CASE_FIELDS).map((c) => text(caseField(c.id), clip(m.minutesCaseNote(c.ref, c.title), 150), { max: LIMITS.caseNote, multiline: true })),
    text('other', m.minutesFieldOtherCases, { max: LIMITS.otherCases, multiline: true, hint: m.minutesHintOtherCases }),
  ];
  for (let n = 1; n <= DECISIONS; n++) blocks.push(...decision(n, caseOptions, o.units, m));
  return {
    type: 'modal',
    callback_id: MINUTES_VIEW,
    title: plain(m.minutesModalTitle),
    submit: plain(m.minutesModalSubmit),
    close: plain(m.modalClose),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}
