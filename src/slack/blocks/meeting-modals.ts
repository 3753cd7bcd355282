import type { Meeting } from '../../db/meetings.table.js';
import type { Unit } from '../../db/units.table.js';
import { LIMITS } from '../../domain/case-fields.js';
import { INPUT_MAX } from '../../domain/input-limits.js';
import { MEETING_PATTERNS, type MeetingPattern } from '../../domain/recurrence-patterns.js';
import type { Messages } from '../../i18n/index.js';
import { plain, type InputBlock, type ModalView, type PlainTextOption } from '../kit.js';
import { escClip } from '../mrkdwn.js';
import { modal, naming, select, text, unitOptions } from './case-modals.js';

export const MEETING_VIEWS = { schedule: 'meeting.schedule', edit: 'meeting.edit' } as const;

/** The list's last choice: the rule is the words written below it. */
export const OTHER_PATTERN = 'other' as const;

/** The durations offered, in minutes; a series of another length is offered its own as well. */
export const DURATIONS = [30, 45, 60, 90, 120, 180] as const;

/** A duration as the form's list carries it: the text `for:` takes. */
export const durationValue = (minutes: number): string => `${minutes}m`;

/** What a meeting form remembers: the channel it was opened in, and for an edit the series' number. */
export interface MeetingModalMeta {
  channel: string;
  meeting?: number;
}

/** What the form shows at first: little for a new series, the series as it is for an edit. */
export interface MeetingFormValues {
  title?: string;
  pattern?: MeetingPattern | typeof OTHER_PATTERN;
  /** The rule in words (or as an RRULE), when it is none of the patterns. */
  words?: string;
  /** `YYYY-MM-DD` and `HH:MM`, local to `zone`. */
  date?: string;
  time?: string;
  zone: string;
  minutes: number;
  location?: string | null;
  unitIds?: readonly number[];
}

const V = 'v';

function picker(type: 'datepicker' | 'timepicker', blockId: string, label: string, initial: string | undefined, hint?: string): InputBlock {
  const element =
    type === 'datepicker'
      ? { type, action_id: V, ...(initial ? { initial_date: initial } : {}) }
      : { type, action_id: V, ...(initial ? { initial_time: initial } : {}) };
  return { type: 'input', block_id: blockId, optional: false, label: plain(label), ...(hint ? { hint: plain(hint) } : {}), element };
}

function unitsInput(units: Unit[], picked: readonly number[], m: Messages): InputBlock {
  const options = unitOptions(units);
  const initial = options.filter((o) => picked.includes(Number(o.value)));
  return {
    type: 'input',
    block_id: 'units',
    optional: true,
    label: plain(m.meetingFieldUnits),
    element: { type: 'multi_static_select', action_id: V, options, ...(initial.length ? { initial_options: initial } : {}) },
  };
}

/** The inputs of a series, shared by the schedule and edit forms. `units`: at most 100 (Slack's cap on a list). */
function seriesInputs(v: MeetingFormValues, units: Unit[], m: Messages): InputBlock[] {
  const patterns: PlainTextOption[] = [...MEETING_PATTERNS, OTHER_PATTERN].map((p) => ({ text: plain(m.meetingPatterns[p]), value: p }));
  const minutes = DURATIONS.includes(v.minutes as (typeof DURATIONS)[number]) ? [...DURATIONS] : [...DURATIONS, v.minutes].sort((a, b) => a - b);
  const durations = minutes.map((n) => ({ text: plain(m.meetingDurationOption(n)), value: durationValue(n) }));
  const blocks: InputBlock[] = [
    text('title', m.meetingFieldTitle, { max: LIMITS.title, optional: false, initial: v.title }),
    { ...select('pattern', m.meetingFieldPattern, patterns, { optional: false, initial: v.pattern }), hint: plain(m.meetingHintPattern) },
    text('rule', m.meetingFieldRuleWords, { max: INPUT_MAX.rule, initial: v.words, placeholder: m.meetingPlaceholderRule, hint: m.meetingHintRuleWords }),
    picker('datepicker', 'date', m.meetingFieldDate, v.date),
    picker('timepicker', 'time', m.meetingFieldTime, v.time, m.meetingHintTime),
    text('zone', m.meetingFieldZone, { max: INPUT_MAX.word, optional: false, initial: v.zone, hint: m.meetingHintZone }),
    select('duration', m.fieldDuration, durations, { optional: false, initial: durationValue(v.minutes) }),
    text('location', m.meetingFieldPlace, { max: LIMITS.location, initial: v.location }),
  ];
  if (units.length) blocks.push(unitsInput(units, v.unitIds ?? [], m));
  return blocks;
}

export function scheduleMeetingModal(meta: MeetingModalMeta, v: MeetingFormValues, units: Unit[], m: Messages): ModalView {
  return modal(MEETING_VIEWS.schedule, m.meetingFormScheduleTitle, m.meetingFormSchedule, meta, seriesInputs(v, units, m), m);
}

export function editMeetingModal(meta: MeetingModalMeta, meeting: Pick<Meeting, 'seq' | 'title'>, v: MeetingFormValues, units: Unit[], m: Messages): ModalView {
  return naming(modal(MEETING_VIEWS.edit, m.meetingFormEditTitle, m.meetingFormSave, meta, seriesInputs(v, units, m), m), `*#${meeting.seq}* · ${escClip(meeting.title, 150)}`);
}
