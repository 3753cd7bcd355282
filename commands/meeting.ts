import { z } from 'zod';
import { LIMITS, capped, optionalText, requiredText } from '../src/domain/case-fields.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { checkRecurrence, occurrencesAfter } from '../src/domain/recurrence.js';
import { readRule, ruleFromWords, ruleInWords } from '../src/domain/recurrence-words.js';
import { dateIn, formatWithOffset, isTimeZone, parseDateInput, Temporal, toDate } from '../src/domain/time.js';
import type { Meeting } from '../src/db/meetings.table.js';
import { AppError, InvalidInput, NotFound, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { cancelSeries, changeOccurrence, editMeeting, meetingOf, meetingsOf, scheduleMeeting, seriesOf, setMeetingReminders, type MeetingInput } from '../src/services/meetings.service.js';
import { formatDuration, parseBeforeList, parseDuration } from '../src/domain/reminder-settings.js';
import { heldAfter, occurrenceOn } from '../src/features/meetings/occurrences.js';
import { unitNamed, unitsOf } from '../src/services/reads.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import { confirmMessage } from '../src/slack/blocks/case-card.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { esc, quote } from '../src/slack/mrkdwn.js';
import { parseMeeting, usageOf, type MeetingCommand, type ScheduleOptions } from './meeting.parse.js';
import { buildAgenda } from '../src/features/meetings/agenda.js';
import { minutesCommand } from './meeting.minutes.js';
import { askFeedReset, FEED_RESET_CONFIRM, showFeed } from './meeting.feed.js';
import { patternRule, type MeetingPattern } from '../src/domain/recurrence-patterns.js';
import { DEFAULT_MINUTES, editForm, scheduleForm } from './meeting.form.js';

export { parseMeeting as parse, usageOf };
export { confirmFeedReset } from './meeting.feed.js';

export const MEETING_ACTIONS = { cancelConfirm: 'meeting.cancel.confirm', feedReset: FEED_RESET_CONFIRM } as const;

/** Dates `next` lists at most, and by default. */
const NEXT_MAX = 50;
const NEXT_DEFAULT = 5;
const LIST_LIMIT = 50;

const language = (m: Messages) => (m.locale === 'zh' ? 'zh' : 'en');
const timeOf = (startLocal: string) => startLocal.slice(11, 16);

/** 90m, 2h, 1h30m, 90分钟, 1小时30分钟 → minutes (1 min to 24 h): parts read as reminder offsets are, summed. */
export function readDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  const parts = t.match(/\d{1,4}(?:min|m|h|分钟|小时)/gu) ?? [];
  if (parts.length === 0 || parts.join('') !== t) return undefined;
  const minutes = parts.reduce((sum, p) => sum + (parseDuration(p) ?? NaN), 0);
  return minutes >= 1 && minutes <= 1440 ? minutes : undefined;
}

/** `starts:2026-12-08 09:30` → `2026-12-08T09:30` (a real local date and time), or undefined. */
export function readStart(text: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:：](\d{2})$/u.exec(text.trim());
  if (!m) return undefined;
  try {
    return Temporal.PlainDateTime.from({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! }, { overflow: 'reject' }).toString({ smallestUnit: 'minute' });
  } catch {
    return undefined;
  }
}

function readRecurrenceRule(o: ScheduleOptions, usage?: Render): string {
  if (o.every && o.rrule) throw new InvalidInput((m) => m.meetingOneRule, usage);
  if (o.rrule !== undefined) {
    capped(o.rrule, (m) => m.fieldRule, INPUT_MAX.rule, usage);
    const rule = readRule(o.rrule);
    if (!rule) throw new InvalidInput((m) => m.badRule(quote(o.rrule!)), usage);
    return rule;
  }
  if (o.every === undefined || !o.every.trim()) throw new InvalidInput((m) => m.meetingNeedsRule, usage);
  capped(o.every, (m) => m.fieldRule, INPUT_MAX.rule, usage);
  // "every:Tuesday" reads as "every Tuesday"; "every:every Tuesday" too.
  const rule = ruleFromWords(o.every) ?? ruleFromWords(`every ${o.every}`);
  if (!rule) throw new InvalidInput((m) => m.badEvery(quote(o.every!)), usage);
  return rule;
}

async function readUnits(ctx: Ctx, scope: Scope, text: string | undefined, usage?: Render): Promise<number[]> {
  if (!text) return [];
  capped(text, (m) => m.fieldUnit, LIMITS.location, usage);
  const ids: number[] = [];
  for (const name of text.split(/[,，、]/u).map((s) => s.trim()).filter(Boolean)) {
    const unit = await unitNamed(ctx.db, scope, name);
    if (!unit) throw new NotFound((m) => m.unitNotFound(quote(name)), usage);
    if (!ids.includes(unit.id)) ids.push(unit.id);
  }
  return ids;
}

/** The inputs of a series; a refusal names the one it is about, so that a form shows it there. */
export type SeriesField = 'title' | 'rule' | 'starts' | 'zone' | 'duration' | 'where' | 'units';

/**
 * A series as given: the command's options, or a form's inputs put in the same words, so that
 * both are read by the same code. A form may instead pick a common pattern (a rule once the
 * start is known) and picks units by id.
 */
export interface SeriesSource {
  title: string | null;
  options: ScheduleOptions;
  pattern?: MeetingPattern;
  /** Unit ids as the form sends them, comma-separated (empty: none). */
  unitIds?: string;
}

export interface Series {
  input: MeetingInput;
  next: Date[];
}

export type SeriesRead = ({ ok: true } & Series) | { ok: false; refusals: [SeriesField, AppError][] };

/** Units picked in a form, by id: the group's, or ones the series already has (a unit archived since stays). */
async function pickedUnits(ctx: Ctx, scope: Scope, raw: string, base?: Meeting): Promise<number[]> {
  capped(raw, (m) => m.meetingFieldUnits, 1000);
  const ids = raw.split(',').filter(Boolean);
  if (ids.some((id) => !/^\d{1,9}$/.test(id))) throw new InvalidInput((m) => m.meetingUnitGone);
  const allowed = new Set([...(await unitsOf(ctx.db, scope)).map((u) => u.id), ...(base?.unit_ids ?? [])]);
  const picked = [...new Set(ids.map(Number))];
  if (picked.some((id) => !allowed.has(id))) throw new InvalidInput((m) => m.meetingUnitGone);
  return picked;
}

/**
 * A series as `src` gives it, checked field by field; for an edit, what it leaves out stays as
 * `base` has it. Answers the series and its next three meetings (there must be one), or each
 * field's refusal, in the order the command reports them (it replies with the first).
 */
export async function readSeries(ctx: Ctx, scope: Scope, src: SeriesSource, usage?: Render, base?: Meeting): Promise<SeriesRead> {
  const o = src.options;
  const refusals: [SeriesField, AppError][] = [];
  const field = async <T>(name: SeriesField, read: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refusals.push([name, err]);
      return undefined;
    }
  };
  const title = await field('title', () => requiredText(src.title ?? o.title ?? base?.title ?? null, (mm) => mm.fieldTitle, LIMITS.title, usage));
  const written = o.every !== undefined || o.rrule !== undefined || (!base && !src.pattern) ? await field('rule', () => readRecurrenceRule(o, usage)) : undefined;
  const location = await field('where', () => (o.where !== undefined ? optionalText(o.where, (mm) => mm.fieldLocation, LIMITS.location, usage) : (base?.location ?? null)));
  const unitIds = await field('units', () => (src.unitIds !== undefined ? pickedUnits(ctx, scope, src.unitIds, base) : o.units !== undefined ? readUnits(ctx, scope, o.units, usage) : (base?.unit_ids ?? [])));
  const startLocal = await field('starts', () => {
    if (o.starts === undefined && base) return base.start_local;
    if (!o.starts) throw new InvalidInput((mm) => mm.missingArgument('starts:YYYY-MM-DD HH:MM'), usage);
    capped(o.starts, (mm) => mm.fieldWhen, INPUT_MAX.when, usage);
    const start = readStart(o.starts);
    if (!start) throw new InvalidInput((mm) => mm.badStarts(quote(o.starts!)), usage);
    return start;
  });
  const zone = await field('zone', () => {
    const z = o.tz?.trim() || base?.time_zone || scope.group.time_zone;
    if (!isTimeZone(z)) throw new InvalidInput((mm) => mm.badZone(quote(z)), usage);
    return z;
  });
  const durationMinutes = await field('duration', () => {
    if (o.for === undefined) return base?.duration_minutes ?? DEFAULT_MINUTES;
    capped(o.for, (mm) => mm.fieldDuration, INPUT_MAX.word, usage);
    const d = readDuration(o.for);
    if (d === undefined) throw new InvalidInput((mm) => mm.badDuration(quote(o.for!)), usage);
    return d;
  });
  if (refusals.length || title === undefined || startLocal === undefined || zone === undefined || durationMinutes === undefined || unitIds === undefined) return { ok: false, refusals };
  // Written words win; a picked pattern is the rule for this start; an edit given neither keeps its rule.
  const rule = written ?? (src.pattern ? patternRule(src.pattern, startLocal) : base!.rule);
  const input: MeetingInput = { title, rule, startLocal, zone, durationMinutes, location: location ?? null, unitIds };
  const recurrence = { rule, start: startLocal, zone };
  try {
    checkRecurrence(recurrence);
  } catch {
    return { ok: false, refusals: [['rule', new InvalidInput((mm) => mm.badRule(quote(rule)), usage)]] };
  }
  const next = occurrencesAfter(recurrence, ctx.clock.now(), 3);
  if (next.length === 0) return { ok: false, refusals: [['starts', new InvalidInput((mm) => mm.meetingNoOccurrence, usage)]] };
  return { ok: true, input, next };
}

/** The command's reading of a series: its first refusal is the reply. */
async function seriesOrRefusal(ctx: Ctx, scope: Scope, src: SeriesSource, usage: Render, base?: Meeting): Promise<Series> {
  const read = await readSeries(ctx, scope, src, usage, base);
  if (!read.ok) throw read.refusals[0]![1];
  return read;
}

/** The reply to a schedule or an edit: the series in words and its next three dates. */
function seriesReply(m: Messages, head: (rule: string, time: string) => string, input: MeetingInput, next: Date[]): string {
  return `${head(ruleInWords(input.rule, language(m)), timeOf(input.startLocal))}\n${m.meetingNextShort} ${m.list(next.map((d) => formatWithOffset(d, input.zone)))}`;
}

/** Schedules a series read by readSeries, and answers as `/meeting schedule` does (its form answers the same). */
export async function scheduleSeries(ctx: Ctx, scope: Scope, { input, next }: Series): Promise<Effects> {
  const { m } = ctx;
  const result = await scheduleMeeting(ctx, scope, input);
  if (result.duplicate) return {};
  const { meeting, outbox } = result.value;
  const where = input.location ? esc(input.location) : null;
  return { reply: { text: seriesReply(m, (rule, time) => m.meetingScheduled(meeting.seq, esc(input.title), rule, time, input.zone, input.durationMinutes, where), input, next) }, outbox };
}

/** Changes series #no as read by readSeries, and answers as `/meeting edit` does (its form answers the same). */
export async function editSeries(ctx: Ctx, scope: Scope, no: number, { input, next }: Series): Promise<Effects> {
  const { m } = ctx;
  const result = await editMeeting(ctx, scope, no, input);
  if (result.duplicate) return {};
  const where = input.location ? esc(input.location) : null;
  return { reply: { text: seriesReply(m, (rule, time) => m.meetingEdited(no, esc(input.title), rule, time, input.zone, input.durationMinutes, where), input, next) }, outbox: result.value.outbox };
}

async function schedule(ctx: Ctx, cmd: Extract<MeetingCommand, { sub: 'schedule' }>): Promise<Effects> {
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'govern');
  // Nothing given: the form asks for it.
  if (cmd.title === null && Object.keys(cmd.options).length === 0) return { modal: await scheduleForm(ctx, scope) };
  return scheduleSeries(ctx, scope, await seriesOrRefusal(ctx, scope, { title: cmd.title, options: cmd.options }, usageOf('schedule')));
}

async function edit(ctx: Ctx, cmd: Extract<MeetingCommand, { sub: 'edit' }>): Promise<Effects> {
  const usage = usageOf('edit');
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'govern');
  const meeting = await meetingOf(ctx, scope, cmd.no);
  if (meeting.cancelled_at) throw new InvalidInput((mm) => mm.meetingAlreadyCancelled(meeting.seq), usage);
  // No option: the series, in the form.
  if (Object.keys(cmd.options).length === 0) return { modal: await editForm(ctx, scope, meeting) };
  return editSeries(ctx, scope, meeting.seq, await seriesOrRefusal(ctx, scope, { title: null, options: cmd.options }, usage, meeting));
}

export async function handle(cmd: MeetingCommand, ctx: Ctx): Promise<Effects> {
  const { m } = ctx;
  switch (cmd.sub) {
    case 'help':
      return say(m.meetingHelp);
    case 'schedule':
      return schedule(ctx, cmd);
    case 'edit':
      return edit(ctx, cmd);
    case 'list': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const meetings = await meetingsOf(ctx, scope, LIST_LIMIT);
      if (meetings.length === 0) return say(m.meetingListEmpty);
      const now = ctx.clock.now();
      const series = await seriesOf(ctx, meetings);
      const lines = series.map((s) => {
        const x = s.meeting;
        const [next] = heldAfter(s, now, 1);
        return m.meetingLine(x.seq, esc(x.title), ruleInWords(x.rule, language(m)), timeOf(x.start_local), x.time_zone, next ? formatWithOffset(next, x.time_zone) : null);
      });
      return say(`${m.meetingListTitle(meetings.length)}\n${lines.join('\n')}`);
    }
    case 'next': {
      let count = NEXT_DEFAULT;
      if (cmd.count !== null) {
        if (!/^\d{1,3}$/.test(cmd.count)) throw new InvalidInput((mm) => mm.unknownOption(quote(cmd.count!)), usageOf('next'));
        count = Number(cmd.count);
        if (count < 1 || count > NEXT_MAX) throw new InvalidInput((mm) => mm.tooManyDates(NEXT_MAX), usageOf('next'));
      }
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const meeting = await meetingOf(ctx, scope, cmd.no);
      const [series] = await seriesOf(ctx, [meeting]);
      const dates = heldAfter(series!, ctx.clock.now(), count);
      if (dates.length === 0) return say(`${m.meetingNextTitle(meeting.seq, esc(meeting.title))}\n${m.meetingNoMoreDates}`);
      return say(`${m.meetingNextTitle(meeting.seq, esc(meeting.title))}\n${dates.map((d) => formatWithOffset(d, meeting.time_zone)).join('\n')}`);
    }
    case 'agenda': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const now = ctx.clock.now();
      const meetings = cmd.no === null ? await meetingsOf(ctx, scope, LIST_LIMIT) : [await meetingOf(ctx, scope, cmd.no)];
      const candidates = (await seriesOf(ctx, meetings)).map((s) => ({ series: s, at: heldAfter(s, now, 1)[0] }));
      const soonest = candidates.filter((c) => c.at).sort((a, b) => a.at!.getTime() - b.at!.getTime())[0];
      if (!soonest) return say(cmd.no === null ? m.meetingNoneNext : m.meetingNoMoreDates);
      const { meeting } = soonest.series;
      const lines = await buildAgenda(ctx.db, soonest.series, soonest.at!, now, m);
      return say([m.meetingAgendaTitle(meeting.seq, esc(meeting.title), formatWithOffset(soonest.at!, meeting.time_zone)), ...lines].join('\n'));
    }
    case 'skip':
    case 'move':
      return changeOne(ctx, cmd);
    case 'minutes':
      return minutesCommand(ctx, cmd.no, cmd.date);
    case 'ics':
      return cmd.reset ? askFeedReset(ctx) : showFeed(ctx);
    case 'settings': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const words = (minutes: number[]) => (minutes.length ? m.list(minutes.map(formatDuration)) : m.meetingRemindersNone);
      if (cmd.reminders === null) {
        authorize(scope, 'read');
        return say(m.meetingSettings(words(scope.group.meeting_reminder_minutes)));
      }
      capped(cmd.reminders, (mm) => mm.fieldWhen, INPUT_MAX.word, usageOf('settings'));
      const minutes = parseBeforeList(cmd.reminders);
      if (!minutes) throw new InvalidInput((mm) => mm.badReminders(quote(cmd.reminders!)), usageOf('settings'));
      const result = await setMeetingReminders(ctx, scope, minutes);
      if (result.duplicate) return {};
      return { reply: { text: m.meetingSettingsSet(words(minutes)) }, outbox: result.value.outbox };
    }
    case 'cancel': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      authorize(scope, 'govern');
      const meeting = await meetingOf(ctx, scope, cmd.no);
      if (meeting.cancelled_at) throw new InvalidInput((mm) => mm.meetingAlreadyCancelled(meeting.seq));
      return { reply: confirmMessage(m.meetingCancelConfirm(meeting.seq, esc(meeting.title)), { actionId: MEETING_ACTIONS.cancelConfirm, value: JSON.stringify({ no: meeting.seq }), danger: true }, m) };
    }
  }
}

/**
 * `skip N DATE`, `move N DATE NEWDATE NEWTIME`: one meeting of the series, named by its local
 * date; a move's new time is read in the series' zone and must lie ahead.
 */
async function changeOne(ctx: Ctx, cmd: Extract<MeetingCommand, { sub: 'skip' | 'move' }>): Promise<Effects> {
  const { m } = ctx;
  const usage = usageOf(cmd.sub);
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'govern');
  const meeting = await meetingOf(ctx, scope, cmd.no);
  if (!cmd.date) throw new InvalidInput((mm) => mm.missingArgument('DATE'), usage);
  capped(cmd.date, (mm) => mm.fieldWhen, INPUT_MAX.when, usage);
  const zone = meeting.time_zone;
  const now = ctx.clock.now();
  const date = /^\d{4}-\d{1,2}-\d{1,2}$/.test(cmd.date) ? parseDateInput(cmd.date, zone, now) : undefined;
  if (!date) throw new InvalidInput((mm) => mm.badDate(quote(cmd.date!)), usage);
  const [series] = await seriesOf(ctx, [meeting]);
  const occurrence = occurrenceOn(series!, date, (at) => dateIn(at, zone));
  if (!occurrence) throw new InvalidInput((mm) => mm.noOccurrenceOn(meeting.seq, date), usage);
  if (occurrence <= now) throw new InvalidInput((mm) => mm.occurrencePast, usage);
  let movedTo: Date | null = null;
  if (cmd.sub === 'move') {
    if (!cmd.to) throw new InvalidInput((mm) => mm.missingArgument('NEWDATE NEWTIME'), usage);
    capped(cmd.to, (mm) => mm.fieldWhen, INPUT_MAX.when, usage);
    const local = readStart(cmd.to);
    if (!local) throw new InvalidInput((mm) => mm.badStarts(quote(cmd.to!)), usage);
    movedTo = toDate(Temporal.PlainDateTime.from(local).toZonedDateTime(zone, { disambiguation: 'compatible' }));
    if (movedTo <= now) throw new InvalidInput((mm) => mm.movedToPast, usage);
  }
  const result = await changeOccurrence(ctx, scope, meeting.seq, occurrence, movedTo);
  if (result.duplicate) return {};
  const from = formatWithOffset(occurrence, zone);
  const text = movedTo ? m.meetingMoved(meeting.seq, esc(meeting.title), from, formatWithOffset(movedTo, zone)) : m.meetingSkipped(meeting.seq, esc(meeting.title), from);
  return { reply: { text }, outbox: result.value.outbox };
}

/** The confirmation button's value comes back from Slack: parsed, not trusted. */
const cancelRequest = z.object({ no: z.number().int().positive().max(1e9) });

export async function confirmCancel(value: string, ctx: Ctx): Promise<Effects> {
  let no: number;
  try {
    no = cancelRequest.parse(JSON.parse(value)).no;
  } catch {
    throw new InvalidInput((m) => m.staleButton);
  }
  const scope = await scopeForChannel(ctx, ctx.channelId);
  const result = await cancelSeries(ctx, scope, no, ctx.clock.now());
  if (result.duplicate) return {};
  return { reply: { text: ctx.m.meetingCancelled(no, esc(result.value.title)) }, replaceOriginal: true };
}
