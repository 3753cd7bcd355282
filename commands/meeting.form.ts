import type { Meeting } from '../src/db/meetings.table.js';
import type { Unit } from '../src/db/units.table.js';
import { patternOf } from '../src/domain/recurrence-patterns.js';
import { ruleFromWords, ruleInWords } from '../src/domain/recurrence-words.js';
import type { Messages } from '../src/i18n/index.js';
import { unitOf, unitsOf } from '../src/services/reads.js';
import type { Scope } from '../src/services/scope.js';
import { editMeetingModal, OTHER_PATTERN, scheduleMeetingModal, type MeetingFormValues } from '../src/slack/blocks/meeting-modals.js';
import type { Ctx } from '../src/slack/handler.js';
import type { ModalView } from '../src/slack/kit.js';

/** A series' length when none is given. */
export const DEFAULT_MINUTES = 60;

/** Slack lists at most 100 options. */
const UNITS_SHOWN = 100;

/** `/meeting schedule` with nothing after it: the form, in the group's zone. */
export async function scheduleForm(ctx: Ctx, scope: Scope): Promise<ModalView> {
  const units = (await unitsOf(ctx.db, scope)).slice(0, UNITS_SHOWN);
  return scheduleMeetingModal({ channel: ctx.channelId }, { zone: scope.group.time_zone, minutes: DEFAULT_MINUTES }, units, ctx.m);
}

/**
 * A rule as the form shows it: the pattern of its list it is, or else "Other" with the rule in
 * words that read back as the same rule (the RRULE itself when no words do).
 */
function ruleShown(rule: string, startLocal: string, m: Messages): Pick<MeetingFormValues, 'pattern' | 'words'> {
  const pattern = patternOf(rule, startLocal);
  if (pattern) return { pattern };
  const words = ruleInWords(rule, m.locale === 'zh' ? 'zh' : 'en');
  return { pattern: OTHER_PATTERN, words: ruleFromWords(words) === rule ? words : rule };
}

/** `/meeting edit N` with no option: the series in the form, as it is. Units archived since it named them stay on offer. */
export async function editForm(ctx: Ctx, scope: Scope, meeting: Meeting): Promise<ModalView> {
  const active = await unitsOf(ctx.db, scope);
  const kept: Unit[] = [];
  for (const id of meeting.unit_ids) {
    if (active.some((u) => u.id === id)) continue;
    const unit = await unitOf(ctx.db, scope, id);
    if (unit) kept.push(unit);
  }
  const units = [...active.slice(0, Math.max(0, UNITS_SHOWN - kept.length)), ...kept].slice(0, UNITS_SHOWN);
  const start = meeting.start_local;
  const values: MeetingFormValues = {
    title: meeting.title,
    ...ruleShown(meeting.rule, start, ctx.m),
    date: start.slice(0, 10),
    time: start.slice(11, 16),
    zone: meeting.time_zone,
    minutes: meeting.duration_minutes,
    location: meeting.location,
    unitIds: meeting.unit_ids,
  };
  return editMeetingModal({ channel: ctx.channelId, meeting: meeting.seq }, meeting, values, units, ctx.m);
}
