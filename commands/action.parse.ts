import { isSnooze, parseItemNo, type Snooze } from '../src/domain/action-item.js';
import { parseRef } from '../src/domain/case-ref.js';
import { InvalidInput, type Render } from '../src/errors.js';
import { checkCommandLength, restAfter, takeOptions, tokenize } from '../src/slack/args.js';
import { quote, userIdOf } from '../src/slack/mrkdwn.js';

/**
 * `/action …` parsed into what was asked for. Pure: no database, no clock. `no` is an item's
 * number in the group (`3` or `#3`), read in the group of the channel it was typed in.
 */
export type OwnerWord = { user: string } | { unit: string };

export type SettingsWords = Partial<Record<'before' | 'atdue' | 'daily' | 'escalate', string>>;

export type ActionCommand =
  | { sub: 'help' }
  | { sub: 'add'; ref: string; text: string; owner: OwnerWord | null; due: string }
  | { sub: 'list'; ref: string | null; mine: boolean; overdue: boolean; unit: string | null }
  | { sub: 'show' | 'done' | 'reopen' | 'cancel'; no: number }
  | { sub: 'reassign'; no: number; owner: OwnerWord }
  | { sub: 'due'; no: number; when: string }
  | { sub: 'snooze'; no: number; snooze: Snooze }
  | { sub: 'settings'; options: SettingsWords }
  | { sub: 'export' };

type Sub = ActionCommand['sub'];

const usage: Record<Sub, Render> = {
  help: (m) => m.actionUsage,
  add: (m) => m.actionAddUsage,
  list: (m) => m.actionListUsage,
  show: (m) => m.actionShowUsage,
  done: (m) => m.actionDoneUsage,
  reopen: (m) => m.actionReopenUsage,
  cancel: (m) => m.actionCancelUsage,
  reassign: (m) => m.actionReassignUsage,
  due: (m) => m.actionDueUsage,
  snooze: (m) => m.actionSnoozeUsage,
  settings: (m) => m.actionSettingsUsage,
  export: (m) => m.actionExportUsage,
};

export const actionUsageOf = (sub: string): Render => (Object.hasOwn(usage, sub) ? usage[sub as Sub] : usage.help);

function fail(sub: Sub, render: Render): never {
  throw new InvalidInput(render, usage[sub]);
}

function noAt(words: string[], i: number, sub: Sub): number {
  const raw = words[i];
  if (!raw) fail(sub, (m) => m.missingArgument('N'));
  const no = parseItemNo(raw);
  if (no === undefined) fail(sub, (m) => m.actionBadNo(quote(raw)));
  return no;
}

const unquote = (s: string) => s.trim().replace(/^["“「](.*)["”」]$/su, '$1').trim();

/** `<@U01|li>` → a person; `unit:Police` or `unit:"Public Security"` → a unit. */
export function readOwner(raw: string, sub: Sub): OwnerWord {
  const v = raw.trim();
  const unit = /^(?:unit|单位)[:：](.+)$/isu.exec(v);
  if (unit) return { unit: unquote(unit[1]!) };
  const user = userIdOf(v);
  if (!user) fail(sub, (m) => m.badUser(quote(v)));
  return { user };
}

/** Option keys inside free text; `unit:` alone is short for `owner:unit:`. */
const KEY = /(^|\s)(owner|due|unit|负责人|截止)[:：]/giu;
const keyName: Record<string, 'owner' | 'due' | 'unit'> = { owner: 'owner', due: 'due', unit: 'unit', 负责人: 'owner', 截止: 'due' };

/** Splits `TEXT owner:X due:WHEN WITH SPACES` into the text and each option's value (up to the next option). */
export function splitOptions(rest: string): { text: string; options: Partial<Record<'owner' | 'due' | 'unit', string>> } {
  const marks = [...rest.matchAll(KEY)].map((mt) => ({ key: keyName[mt[2]!.toLowerCase()]!, start: mt.index + mt[1]!.length, valueAt: mt.index + mt[0].length }));
  const options: Partial<Record<'owner' | 'due' | 'unit', string>> = {};
  marks.forEach((mk, i) => {
    options[mk.key] = rest.slice(mk.valueAt, marks[i + 1]?.start ?? rest.length).trim();
  });
  return { text: rest.slice(0, marks[0]?.start ?? rest.length).trim(), options };
}

function parseAdd(text: string, words: string[]): ActionCommand {
  const raw = words[1];
  if (!raw) fail('add', (m) => m.missingArgument('REF'));
  const ref = parseRef(raw);
  if (!ref) fail('add', (m) => m.badRef(quote(raw)));
  const { text: itemText, options } = splitOptions(restAfter(text, 2));
  if (!itemText) fail('add', (m) => m.missingArgument('TEXT'));
  if (!options.due) fail('add', (m) => m.missingArgument('due:WHEN'));
  let owner: OwnerWord | null = null;
  if (options.owner) owner = readOwner(options.owner, 'add');
  else if (options.unit) owner = { unit: unquote(options.unit) };
  return { sub: 'add', ref, text: itemText, owner, due: options.due };
}

export function parseAction(text: string): ActionCommand {
  checkCommandLength(text, usage.help);
  const words = tokenize(text);
  const sub = (words[0] ?? 'help').toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return { sub: 'help' };
    case 'add':
    case 'new':
      return parseAdd(text, words);
    case 'list':
    case 'ls': {
      const { options, rest } = takeOptions(words.slice(1), ['unit'] as const);
      const cmd = { sub: 'list' as const, ref: null as string | null, mine: false, overdue: false, unit: options.unit ?? null };
      for (const w of rest) {
        const lw = w.toLowerCase();
        if (lw === 'mine' || lw === '我的') cmd.mine = true;
        else if (lw === 'overdue' || lw === '逾期') cmd.overdue = true;
        else if (parseRef(w)) cmd.ref = parseRef(w)!;
        else fail('list', (m) => m.unknownOption(quote(w)));
      }
      return cmd;
    }
    case 'show':
    case 'done':
    case 'reopen':
    case 'cancel':
      return { sub, no: noAt(words, 1, sub) };
    case 'reassign': {
      const no = noAt(words, 1, 'reassign');
      const who = restAfter(text, 2);
      if (!who) fail('reassign', (m) => m.missingArgument('@user|unit:NAME'));
      return { sub: 'reassign', no, owner: readOwner(who.replace(/^owner[:：]/i, ''), 'reassign') };
    }
    case 'due': {
      const no = noAt(words, 1, 'due');
      const when = restAfter(text, 2);
      if (!when) fail('due', (m) => m.missingArgument('WHEN'));
      return { sub: 'due', no, when };
    }
    case 'snooze': {
      const no = noAt(words, 1, 'snooze');
      const s = (words[2] ?? '').toLowerCase();
      if (!isSnooze(s)) fail('snooze', (m) => m.actionBadSnooze(quote(words[2] ?? '')));
      return { sub: 'snooze', no, snooze: s };
    }
    case 'settings': {
      const { options, rest } = takeOptions(words.slice(1), ['before', 'atdue', 'daily', 'escalate'] as const);
      if (rest.length) fail('settings', (m) => m.unknownOption(quote(rest[0]!)));
      return { sub: 'settings', options };
    }
    case 'export':
      return { sub: 'export' };
    default:
      throw new InvalidInput((m) => m.unknownSubcommand('action', quote(words[0]!)), (m) => m.actionUsage);
  }
}
