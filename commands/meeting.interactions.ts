import { z } from 'zod';
import type { Meeting } from '../src/db/meetings.table.js';
import { isMeetingPattern, type MeetingPattern } from '../src/domain/recurrence-patterns.js';
import { InvalidInput, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { meetingOf } from '../src/services/meetings.service.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import type { FormMeta } from '../src/slack/blocks/case-modals.js';
import { OTHER_PATTERN } from '../src/slack/blocks/meeting-modals.js';
import { FormReader } from '../src/slack/forms.js';
import type { Ctx, Submission } from '../src/slack/handler.js';
import { editSeries, readSeries, scheduleSeries, type Series, type SeriesField } from './meeting.js';
import type { ScheduleOptions } from './meeting.parse.js';

/**
 * The schedule and edit forms of `/meeting`. Their inputs are put in the words the command's
 * options take and read by the same code (readSeries), so a series means the same however it
 * was given; each refusal shows under the input it is about. Coordinators only, when the form
 * opens (commands/meeting.ts) and again when it is sent.
 */

/** Where a refusal of each field shows (the rule's: under the input it was read from). */
const BLOCK_OF: Record<Exclude<SeriesField, 'rule'>, string> = { title: 'title', starts: 'date', zone: 'zone', duration: 'duration', where: 'location', units: 'units' };

/** What a form remembered comes back with the submission: parsed, not trusted. An edit's names its series. */
const scheduleMeta = z.object({ channel: z.string().min(1) });
const editMeta = scheduleMeta.extend({ meeting: z.number().int().positive().max(1e9) });

/** An RRULE as typed, with or without `RRULE:` in front; anything else is words. */
const RRULE_TEXT = /^\s*(?:rrule:\s*)?freq=/i;

const refusal = (render: Render) => (): never => {
  throw new InvalidInput(render);
};

const required = (label: (m: Messages) => string) => (v: string | null): string => v || refusal((m) => m.required(label(m)))();

/** The form's inputs as a series, or what is wrong with them, field by field. */
async function readForm(values: Record<string, string | null>, ctx: Ctx, scope: Scope, base?: Meeting): Promise<{ errors: Record<string, string> } | { series: Series }> {
  const f = new FormReader(values, ctx.m);
  const words = values.rule?.trim() || null;
  const choice = values.pattern ?? null;
  const options: ScheduleOptions = { title: values.title ?? '', tz: values.zone ?? '', where: values.location ?? '' };
  // The list decides: one of its rhythms, or "Other" and the words under it.
  let pattern: MeetingPattern | undefined;
  if (isMeetingPattern(choice)) {
    if (words) f.read('rule', refusal((m) => m.meetingFormPatternAndWords));
    else pattern = choice;
  } else if (choice === OTHER_PATTERN) {
    if (!words) f.read('rule', refusal((m) => m.meetingFormNeedsWords));
    else if (RRULE_TEXT.test(words)) options.rrule = words.replace(/^\s*rrule:\s*/i, '');
    else options.every = words;
  } else {
    f.read('pattern', refusal((m) => m.meetingFormNeedsRule));
  }
  const ruleRefused = !f.ok;
  const date = f.read('date', required((m) => m.meetingFieldDate));
  const time = f.read('time', required((m) => m.meetingFieldTime));
  if (date && time) options.starts = `${date} ${time}`;
  if (values.duration) options.for = values.duration;
  // No list of units (the group has none): what the series had stays.
  const unitIds = values.units === undefined ? undefined : (values.units ?? '');
  const read = await readSeries(ctx, scope, { title: null, options, ...(pattern ? { pattern } : {}), ...(unitIds !== undefined ? { unitIds } : {}) }, undefined, base);
  if (!read.ok) {
    for (const [field, err] of read.refusals) {
      if (field === 'rule' && ruleRefused) continue; // the form has said what is wrong with the rule
      const block = field === 'rule' ? (words ? 'rule' : 'pattern') : BLOCK_OF[field];
      if (!(block in f.errors)) {
        f.read(block, () => {
          throw err;
        });
      }
    }
  }
  return f.ok && read.ok ? { series: read } : { errors: f.errors };
}

export async function submitSchedule(values: Record<string, string | null>, meta: FormMeta, ctx: Ctx): Promise<Submission> {
  const remembered = scheduleMeta.safeParse(meta);
  if (!remembered.success) throw new InvalidInput((m) => m.staleButton);
  const scope = await scopeForChannel(ctx, remembered.data.channel);
  authorize(scope, 'govern');
  const read = await readForm(values, ctx, scope);
  if ('errors' in read) return read;
  return { run: () => scheduleSeries(ctx, scope, read.series) };
}

export async function submitEdit(values: Record<string, string | null>, meta: FormMeta, ctx: Ctx): Promise<Submission> {
  const remembered = editMeta.safeParse(meta);
  if (!remembered.success) throw new InvalidInput((m) => m.staleButton);
  const scope = await scopeForChannel(ctx, remembered.data.channel);
  authorize(scope, 'govern');
  const meeting = await meetingOf(ctx, scope, remembered.data.meeting);
  if (meeting.cancelled_at) throw new InvalidInput((m) => m.meetingAlreadyCancelled(meeting.seq));
  const read = await readForm(values, ctx, scope, meeting);
  if ('errors' in read) return read;
  return { run: () => editSeries(ctx, scope, meeting.seq, read.series) };
}
