import type { Outcome, SettableStatus } from '../src/domain/case-status.js';
import { listFilterFromWord, moneyKindFromWord, outcomeFromWord, statusFromWord } from '../src/features/cases/words.js';
import { parseRef } from '../src/domain/case-ref.js';
import { isCurrency, type MoneyKind } from '../src/domain/money.js';
import { InvalidInput, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { checkCommandLength, restAfter, takeOptions, tokenize } from '../src/slack/args.js';
import { quote, userIdOf } from '../src/slack/mrkdwn.js';

/** `/case …` parsed into what was asked for. Pure: no database, no clock. */
export type CaseCommand =
  | { sub: 'help' }
  | { sub: 'open'; title: string | null; opened: string | null; since: string | null; unit: string | null }
  | { sub: 'list'; state: 'open' | 'closed' | 'all'; supervised: boolean; unit: string | null }
  | { sub: 'show'; ref: string }
  | { sub: 'edit'; ref: string; field: EditWord | null; value: string }
  | { sub: 'note'; ref: string; text: string }
  | { sub: 'plan'; ref: string; text: string | null }
  | { sub: 'status'; ref: string; status: SettableStatus; when: string | null; region: string | null; city: string | null }
  | { sub: 'supervise'; ref: string; user: string | null }
  | { sub: 'close'; ref: string; outcome: Outcome; date: string | null; note: string | null; region: string | null; city: string | null }
  | { sub: 'reopen'; ref: string; reason: string | null }
  | { sub: 'money'; ref: string; kind: MoneyKind; amount: string; currency: string | null; date: string | null; note: string | null; correction: boolean }
  | { sub: 'moneySummary'; ref: string }
  | { sub: 'history'; ref: string }
  | { sub: 'export' }
  /** `file`: a Slack file id; `csv`: a small file pasted after the command; neither: the reader's latest CSV in the channel. */
  | { sub: 'import'; file: string | null; csv: string | null };

export const EDIT_WORDS = ['title', 'subject', 'category', 'unit', 'opened', 'since', 'location'] as const;
export type EditWord = (typeof EDIT_WORDS)[number];

// A Map, not an object literal: a typed word such as "constructor" must not find Object's own.
const editWords = new Map<string, EditWord>([
  ...EDIT_WORDS.map((w) => [w, w] as const),
  ['origin', 'unit'],
  ['at-large-since', 'since'],
  ['fled', 'since'],
  ['place', 'location'],
  ['标题', 'title'],
  ['对象', 'subject'],
  ['类别', 'category'],
  ['单位', 'unit'],
  ['立案', 'opened'],
  ['外逃', 'since'],
  ['地点', 'location'],
]);

const usage: Record<Exclude<CaseCommand['sub'], 'help'>, Render> = {
  open: (m) => m.openUsage,
  list: (m) => m.listUsage,
  show: (m) => m.showUsage,
  edit: (m) => m.editUsage,
  note: (m) => m.noteUsage,
  plan: (m) => m.planUsage,
  status: (m) => m.statusUsage,
  supervise: (m) => m.superviseUsage,
  close: (m) => m.closeUsage,
  reopen: (m) => m.reopenUsage,
  money: (m) => m.moneyUsage,
  moneySummary: (m) => m.moneyUsage,
  history: (m) => m.historyUsage,
  export: (m) => m.caseExportUsage,
  import: (m) => m.caseImportUsage,
};

export function usageOf(sub: string): Render {
  return Object.hasOwn(usage, sub) ? usage[sub as keyof typeof usage] : (m: Messages) => m.caseUsage;
}

/** A date given in position (money): only unambiguous forms, so a note that starts with "May" stays a note. */
const positionalDate = /^(\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?|today|yesterday|今天|昨天)$/iu;

/**
 * How many words from `from` on make up the amount: "70 000" and "2亿 3000万" are one amount.
 * A following word that starts like a number (and is no date) joins it, so a mistyped
 * grouping ("70 00") is refused by parseAmount instead of stored as 70 with the note "00".
 */
function amountWordCount(words: string[], from: number): number {
  let n = 1;
  while (words[from + n] && /^[\p{Nd}万亿元,.]/u.test(words[from + n]!) && !positionalDate.test(words[from + n]!)) n++;
  return n;
}

function fail(sub: CaseCommand['sub'], render: Render): never {
  throw new InvalidInput(render, usageOf(sub));
}

function refAt(words: string[], i: number, sub: CaseCommand['sub']): string {
  const raw = words[i];
  if (!raw) fail(sub, (m) => m.missingArgument('REF'));
  const ref = parseRef(raw);
  if (!ref) fail(sub, (m) => m.badRef(quote(raw)));
  return ref;
}

const orNull = (s: string) => (s === '' ? null : s);

/** Words that say an entry corrects an earlier one: `/case money REF correct recovered -5000`. */
const CORRECTION_WORDS = new Set(['correct', 'correction', '更正', '冲正']);

/**
 * Where the subject was found, as options anywhere after the fixed words: `region:Sichuan
 * city:Chengdu` (地区: and 城市: too). The rest is what it was: the time, or the date and note.
 */
function placeOptions(words: string[], text: string, from: number): { region: string | null; city: string | null; rest: string } {
  const { options, rest } = takeOptions(words.slice(from), ['region', 'city', '地区', '城市'] as const);
  const region = orNull((options.region ?? options['地区'] ?? '').trim());
  const city = orNull((options.city ?? options['城市'] ?? '').trim());
  // Without options the text after the fixed words is kept as typed (a note's line breaks).
  return { region, city, rest: Object.keys(options).length ? rest.join(' ') : restAfter(text, from) };
}

/**
 * When a case closed, ahead of the note: `date:2021-05-28`, or a date as people write one
 * (2021-05-28, 2021/5/28, 2021年5月28日) with an optional time (07:24). A bare date used to
 * become the note, and the case closed today.
 */
const CLOSE_DATE = /^(?:date[:：])?(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)(?:\s+(\d{1,2}[:：]\d{2}))?(?:\s+|$)/u;
const PREFIXED_DATE = /^date[:：](\S+)(?:\s+(\d{1,2}[:：]\d{2}))?(?:\s+|$)/u;

function closeDate(rest: string): { date: string | null; note: string } {
  const m = CLOSE_DATE.exec(rest) ?? PREFIXED_DATE.exec(rest);
  if (!m) return { date: null, note: rest };
  const time = m[2] ? ` ${m[2].replace('：', ':')}` : '';
  return { date: `${m[1]}${time}`, note: rest.slice(m[0].length).trim() };
}

export function parseCase(text: string): CaseCommand {
  checkCommandLength(text, (m) => m.caseUsage);
  const words = tokenize(text);
  const sub = (words[0] ?? 'help').toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return { sub: 'help' };
    case 'open':
    case 'new':
    {
      // The quick path takes what the form takes: when it was opened (its reference's year),
      // since when the subject is at large, and the unit that brought it.
      const { options, rest } = takeOptions(words.slice(1), ['opened', 'since', 'unit'] as const);
      const title = Object.keys(options).length ? orNull(rest.join(' ')) : orNull(restAfter(text, 1));
      return { sub: 'open', title, opened: options.opened ?? null, since: options.since ?? null, unit: options.unit ?? null };
    }
    case 'list':
    case 'ls': {
      const { options, rest } = takeOptions(words.slice(1), ['unit'] as const);
      let state: 'open' | 'closed' | 'all' = 'open';
      let supervised = false;
      for (const w of rest) {
        const filter = listFilterFromWord(w);
        if (filter === 'supervised') supervised = true;
        else if (filter) state = filter;
        else fail('list', (m) => m.unknownOption(quote(w)));
      }
      return { sub: 'list', state, supervised, unit: options.unit ?? null };
    }
    case 'show':
    case 'history':
      return { sub, ref: refAt(words, 1, sub) };
    case 'edit': {
      const ref = refAt(words, 1, 'edit');
      const raw = words[2];
      if (!raw) return { sub: 'edit', ref, field: null, value: '' };
      const field = editWords.get(raw.toLowerCase());
      if (!field) fail('edit', (m) => m.unknownField(quote(raw)));
      const value = restAfter(text, 3);
      if (!value) fail('edit', (m) => m.missingArgument('VALUE'));
      return { sub: 'edit', ref, field, value };
    }
    case 'note': {
      const ref = refAt(words, 1, 'note');
      const note = restAfter(text, 2);
      if (!note) fail('note', (m) => m.missingArgument('TEXT'));
      return { sub: 'note', ref, text: note };
    }
    case 'plan':
      return { sub: 'plan', ref: refAt(words, 1, 'plan'), text: orNull(restAfter(text, 2)) };
    case 'status': {
      const ref = refAt(words, 1, 'status');
      const two = words.slice(2, 4).join(' ');
      const one = words[2] ?? '';
      const status = statusFromWord(two) ?? statusFromWord(one);
      if (!one) fail('status', (m) => m.missingArgument('STATUS'));
      if (!status) fail('status', (m) => m.badStatus(quote(one)));
      const used = statusFromWord(two) && words.length >= 4 ? 4 : 3;
      const { region, city, rest } = placeOptions(words, text, used);
      return { sub: 'status', ref, status, when: orNull(rest), region, city };
    }
    case 'supervise': {
      const ref = refAt(words, 1, 'supervise');
      const who = words[2];
      if (!who) fail('supervise', (m) => m.missingArgument('@leader'));
      if (['off', 'none', 'clear'].includes(who.toLowerCase())) return { sub: 'supervise', ref, user: null };
      const user = userIdOf(who);
      if (!user) fail('supervise', (m) => m.badUser(quote(who)));
      return { sub: 'supervise', ref, user };
    }
    case 'close': {
      const ref = refAt(words, 1, 'close');
      const raw = words[2];
      if (!raw) fail('close', (m) => m.missingArgument('OUTCOME'));
      const outcome = outcomeFromWord(raw);
      if (!outcome) fail('close', (m) => m.badOutcome(quote(raw)));
      const { region, city, rest } = placeOptions(words, text, 3);
      const { date, note } = closeDate(rest);
      return { sub: 'close', ref, outcome, date, note: orNull(note), region, city };
    }
    case 'reopen':
      return { sub: 'reopen', ref: refAt(words, 1, 'reopen'), reason: orNull(restAfter(text, 2)) };
    case 'money': {
      const ref = refAt(words, 1, 'money');
      // No amount: the case's money, summed up.
      if (!words[2]) return { sub: 'moneySummary', ref };
      const correction = CORRECTION_WORDS.has(words[2].toLowerCase());
      const k = correction ? 3 : 2;
      const kindWord = words[k];
      if (!kindWord) fail('money', (m) => m.missingArgument('involved|frozen|recovered'));
      const kind = moneyKindFromWord(kindWord);
      if (!kind) fail('money', (m) => m.badMoneyKind(quote(kindWord)));
      if (!words[k + 1]) fail('money', (m) => m.missingArgument('AMOUNT'));
      const n = amountWordCount(words, k + 1);
      // Spaces of any kind split words; parseAmount reads any of them as one space.
      const amount = words.slice(k + 1, k + 1 + n).join(' ');
      let i = k + 1 + n;
      let currency: string | null = null;
      let date: string | null = null;
      // Only a code typed in capitals: a note that starts with "all" or "top" must stay a note.
      if (words[i] && /^[A-Z]{3}$/.test(words[i]!) && isCurrency(words[i]!)) currency = words[i++]!;
      if (words[i] && positionalDate.test(words[i]!)) date = words[i++]!;
      return { sub: 'money', ref, kind, amount, currency, date, note: orNull(restAfter(text, i)), correction };
    }
    case 'export':
      return { sub: 'export' };
    case 'import': {
      // The command's text is capped (checkCommandLength) before this: a pasted file is a small one.
      const rest = restAfter(text, 1);
      if (/^F[A-Z0-9]{5,20}$/u.test(rest)) return { sub: 'import', file: rest, csv: null };
      return { sub: 'import', file: null, csv: orNull(rest) };
    }
    default:
      throw new InvalidInput((m) => m.unknownSubcommand('case', quote(words[0]!)), (m) => m.caseUsage);
  }
}
