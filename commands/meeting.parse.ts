import { InvalidInput, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { checkCommandLength, takeOptions, tokenize } from '../src/slack/args.js';
import { quote } from '../src/slack/mrkdwn.js';

/** `/meeting …` parsed into what was asked for. Pure: no database, no clock. */
export type MeetingCommand =
  | { sub: 'help' }
  | { sub: 'schedule'; title: string | null; options: ScheduleOptions }
  | { sub: 'list' }
  | { sub: 'next'; no: number; count: string | null }
  | { sub: 'agenda'; no: number | null }
  | { sub: 'skip'; no: number; date: string | null }
  | { sub: 'move'; no: number; date: string | null; to: string | null }
  | { sub: 'cancel'; no: number }
  | { sub: 'settings'; reminders: string | null }
  | { sub: 'minutes'; no: number; date: string | null }
  | { sub: 'edit'; no: number; options: ScheduleOptions }
  | { sub: 'ics'; reset: boolean };

export const SCHEDULE_KEYS = ['title', 'rrule', 'every', 'starts', 'tz', 'for', 'where', 'units'] as const;
export type ScheduleOptions = Partial<Record<(typeof SCHEDULE_KEYS)[number], string>>;

/** Chinese option names, for people who type them (values are read the same). */
const ALIASES = new Map<string, (typeof SCHEDULE_KEYS)[number]>([
  ['开始', 'starts'],
  ['时区', 'tz'],
  ['时长', 'for'],
  ['地点', 'where'],
  ['单位', 'units'],
  ['周期', 'every'],
  ['名称', 'title'],
]);

const usage: Record<Exclude<MeetingCommand['sub'], 'help'>, Render> = {
  schedule: (m) => m.meetingScheduleUsage,
  list: (m) => m.meetingListUsage,
  next: (m) => m.meetingNextUsage,
  cancel: (m) => m.meetingCancelUsage,
  agenda: (m) => m.meetingAgendaUsage,
  skip: (m) => m.meetingSkipUsage,
  move: (m) => m.meetingMoveUsage,
  settings: (m) => m.meetingSettingsUsage,
  edit: (m) => m.meetingEditUsage,
  minutes: (m) => m.meetingMinutesUsage,
  ics: (m) => m.meetingIcsUsage,
};

export function usageOf(sub: string): Render {
  return Object.hasOwn(usage, sub) ? usage[sub as keyof typeof usage] : (m: Messages) => m.meetingUsage;
}

const OPTION = new RegExp(`(?:^|\\s)(${[...SCHEDULE_KEYS, ...ALIASES.keys()].join('|')})[:：]`, 'giu');

/**
 * `TITLE key:value key:value…` where a value runs to the next key, so phrases and times need
 * no quotes: `Joint meeting every:every 2 weeks on Tuesday starts:2026-12-08 09:30`.
 */
export function splitOptions(text: string): { title: string; options: ScheduleOptions } {
  const found = [...text.matchAll(OPTION)];
  const options: ScheduleOptions = {};
  found.forEach((m, i) => {
    const word = m[1]!.toLowerCase();
    const key = ALIASES.get(word) ?? (word as (typeof SCHEDULE_KEYS)[number]);
    const from = m.index + m[0].length;
    const to = found[i + 1]?.index ?? text.length;
    options[key] = text.slice(from, to).trim().replace(/^["“「](.*)["”」]$/su, '$1');
  });
  return { title: text.slice(0, found[0]?.index ?? text.length).trim(), options };
}

function number(raw: string | undefined, sub: 'next' | 'cancel' | 'agenda' | 'skip' | 'move' | 'edit' | 'minutes'): number {
  if (!raw) throw new InvalidInput((m) => m.missingArgument('N'), usageOf(sub));
  const n = /^#?(\d{1,9})$/.exec(raw);
  if (!n) throw new InvalidInput((m) => m.badMeetingNumber(quote(raw)), usageOf(sub));
  return Number(n[1]);
}

export function parseMeeting(text: string): MeetingCommand {
  checkCommandLength(text, (m) => m.meetingUsage);
  const words = tokenize(text);
  const sub = (words[0] ?? 'help').toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return { sub: 'help' };
    case 'schedule':
    case 'new': {
      const rest = text.trim().replace(/^\S+\s*/u, '');
      const { title, options } = splitOptions(rest);
      return { sub: 'schedule', title: title || null, options };
    }
    case 'list':
    case 'ls':
      return { sub: 'list' };
    case 'next':
      return { sub: 'next', no: number(words[1], 'next'), count: words[2] ?? null };
    case 'cancel':
      return { sub: 'cancel', no: number(words[1], 'cancel') };
    case 'skip':
      return { sub: 'skip', no: number(words[1], 'skip'), date: words[2] ?? null };
    case 'move':
      return { sub: 'move', no: number(words[1], 'move'), date: words[2] ?? null, to: words.length > 3 ? words.slice(3).join(' ') : null };
    case 'edit': {
      const no = number(words[1], 'edit');
      const { title, options } = splitOptions(text.trim().replace(/^\S+\s+\S+\s*/u, ''));
      if (title) throw new InvalidInput((m) => m.unknownOption(quote(title)), usageOf('edit'));
      return { sub: 'edit', no, options };
    }
    case 'settings': {
      const { options, rest } = takeOptions(words.slice(1), ['reminders'] as const);
      if (rest.length) throw new InvalidInput((m) => m.unknownOption(quote(rest[0]!)), usageOf('settings'));
      return { sub: 'settings', reminders: options.reminders ?? null };
    }
    case 'minutes':
      return { sub: 'minutes', no: number(words[1], 'minutes'), date: words[2] ?? null };
    case 'ics': {
      const extra = words.slice(1).find((w, i) => i > 0 || w.toLowerCase() !== 'reset');
      if (extra !== undefined) throw new InvalidInput((m) => m.unknownOption(quote(extra)), usageOf('ics'));
      return { sub: 'ics', reset: words.length > 1 };
    }
    case 'agenda':
      return { sub: 'agenda', no: words[1] === undefined ? null : number(words[1], 'agenda') };
    default:
      throw new InvalidInput((m) => m.unknownSubcommand('meeting', quote(words[0]!)), (m) => m.meetingUsage);
  }
}
