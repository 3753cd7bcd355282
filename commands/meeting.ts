import { z } from 'zod';
import { LIMITS, capped, optionalText, requiredText } from '../src/domain/case-fields.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { checkRecurrence, occurrencesAfter } from '../src/domain/recurrence.js';
import { readRule, ruleFromWords, ruleInWords } from '../src/domain/recurrence-words.js';
import { dateIn, formatWithOffset, isTimeZone, parseDateInput, Temporal, toDate } from '../src/domain/time.js';
import type { Meeting } from '../src/db/meetings.table.js';
import { InvalidInput, NotFound, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { cancelSeries, changeOccurrence, editMeeting, meetingOf, meetingsOf, scheduleMeeting, seriesOf, setMeetingReminders, type MeetingInput } from '../src/services/meetings.service.js';
import { formatDuration, parseBeforeList, parseDuration } from '../src/domain/reminder-settings.js';
import { heldAfter, occurrenceOn } from '../src/features/meetings/occurrences.js';
import { unitNamed } from '../src/services/reads.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import { confirmMessage } from '../src/slack/blocks/case-card.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { esc, quote } from '../src/slack/mrkdwn.js';
import { parseMeeting, usageOf, type MeetingCommand, type ScheduleOptions } from './meeting.parse.js';
import { buildAgenda } from '../src/features/meetings/agenda.js';
import { minutesCommand } from './meeting.minutes.js';
import { askFeedReset, FEED_RESET_CONFIRM, showFeed } from './meeting.feed.js';

export { parseMeeting as parse, usageOf };
export { confirmFeedReset } from './meeting.feed.js';

export const MEETING_ACTIONS = { cancelConfirm: 'meeting.cancel.confirm', feedReset: FEED_RESET_CONFIRM } as const;

/** Dates `next` lists at most, and by default. */
const NEXT_MAX = 50;
const NEXT_DEFAULT = 5;
const LIST_LIMIT = 50;
const DEFAULT_MINUTES = 60;

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

function readRecurrenceRule(o: ScheduleOptions, usage: Render): string {
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

async function readUnits(ctx: Ctx, scope: Scope, text: string | undefined, usage: Render): Promise<number[]> {
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

/**
 * A series as the options give it, checked; for an edit, what an option leaves out stays as
 * `base` has it. Answers the series and its next three meetings (there must be one).
 */
async function readSeries(ctx: Ctx, scope: Scope, title: string | null, o: ScheduleOptions, usage: Render, base?: Meeting): Promise<{ input: MeetingInput; next: Date[] }> {
  const name = title ?? o.title ?? base?.title ?? null;
  const input: MeetingInput = {
    title: requiredText(name, (mm) => mm.fieldTitle, LIMITS.title, usage),
    rule: o.every !== undefined || o.rrule !== undefined || !base ? readRecurrenceRule(o, usage) : base.rule,
    startLocal: base?.start_local ?? '',
    zone: o.tz?.trim() || base?.time_zone || scope.group.time_zone,
    durationMinutes: base?.duration_minutes ?? DEFAULT_MINUTES,
    location: o.where !== undefined ? optionalText(o.where, (mm) => mm.fieldLocation, LIMITS.location, usage) : (base?.location ?? null),
    unitIds: o.units !== undefined ? await readUnits(ctx, scope, o.units, usage) : (base?.unit_ids ?? []),
  };
  if (o.starts !== undefined || !base) {
    if (!o.starts) throw new InvalidInput((mm) => mm.missingArgument('starts:YYYY-MM-DD HH:MM'), usage);
    capped(o.starts, (mm) => mm.fieldWhen, INPUT_MAX.when, usage);
    const start = readStart(o.starts);
    if (!start) throw new InvalidInput((mm) => mm.badStarts(quote(o.starts!)), usage);
    input.startLocal = start;
  }
  if (!isTimeZone(input.zone)) throw new InvalidInput((mm) => mm.badZone(quote(input.zone)), usage);
  if (o.for !== undefined) {
    capped(o.for, (mm) => mm.fieldDuration, INPUT_MAX.word, usage);
    const d = readDuration(o.for);
    if (d === undefined) throw new InvalidInput((mm) => mm.badDuration(quote(o.for!)), usage);
    input.durationMinutes = d;
  }
  const recurrence = { rule: input.rule, start: input.startLocal, zone: input.zone };
  try {
    checkRecurrence(recurrence);
  } catch {
    throw new InvalidInput((mm) => mm.badRule(quote(input.rule)), usage);
  }
  const next = occurrencesAfter(recurrence, ctx.clock.now(), 3);
  if (next.length === 0) throw new InvalidInput((mm) => mm.meetingNoOccurrence, usage);
  return { input, next };
}

/** The reply to a schedule or an edit: the series in words and its next three dates. */
function seriesReply(m: Messages, head: (rule: string, time: string) => string, input: MeetingInput, next: Date[]): string {
  return `${head(ruleInWords(input.rule, language(m)), timeOf(input.startLocal))}\n${m.meetingNextShort} ${m.list(next.map((d) => formatWithOffset(d, input.zone)))}`;
}

async function schedule(ctx: Ctx, cmd: Extract<MeetingCommand, { sub: 'schedule' }>): Promise<Effects> {
  const { m } = ctx;
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'govern');
  const { input, next } = await readSeries(ctx, scope, cmd.title, cmd.options, usageOf('schedule'));
  const result = await scheduleMeeting(ctx, scope, input);
  if (result.duplicate) return {};
  const { meeting, outbox } = result.value;
  const where = input.location ? esc(input.location) : null;
  return { reply: { text: seriesReply(m, (rule, time) => m.meetingScheduled(meeting.seq, esc(input.title), rule, time, input.zone, input.durationMinutes, where), input, next) }, outbox };
}

async function edit(ctx: Ctx, cmd: Extract<MeetingCommand, { sub: 'edit' }>): Promise<Effects> {
  const { m } = ctx;
  const usage = usageOf('edit');
  const scope = await scopeForChannel(ctx, ctx.channelId);
  authorize(scope, 'govern');
  const meeting = await meetingOf(ctx, scope, cmd.no);
  if (meeting.cancelled_at) throw new InvalidInput((mm) => mm.meetingAlreadyCancelled(meeting.seq), usage);
  if (Object.keys(cmd.options).length === 0) throw new InvalidInput((mm) => mm.nothingToChange, usage);
  const { input, next } = await readSeries(ctx, scope, null, cmd.options, usage, meeting);
  const result = await editMeeting(ctx, scope, meeting.seq, input);
  if (result.duplicate) return {};
  const where = input.location ? esc(input.location) : null;
  return { reply: { text: seriesReply(m, (rule, time) => m.meetingEdited(meeting.seq, esc(input.title), rule, time, input.zone, input.durationMinutes, where), input, next) }, outbox: result.value.outbox };
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
