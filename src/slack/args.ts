import { INPUT_MAX, longerThan } from '../domain/input-limits.js';
import { InvalidInput, type Render } from '../errors.js';

/**
 * Refuses a command longer than docket reads, before any word of it is parsed: parsers are
 * cheap only on text of the size people type.
 */
export function checkCommandLength(text: string, usage: Render): void {
  if (longerThan(text, INPUT_MAX.command)) throw new InvalidInput((m) => m.commandTooLong(INPUT_MAX.command), usage);
}

/**
 * Splits slash-command text into words. Quotes group words ("Public Security", and the
 * curly quotes phones insert); a quote may follow a key (unit:"Public Security"). Slack's
 * escaped mentions (<@U01|li>) are single words already.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let started = false;
  const closing = new Map([
    ['"', '"'],
    ['“', '”'],
    ['「', '」'],
  ]);
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
      continue;
    }
    if (closing.has(ch)) {
      quote = closing.get(ch)!;
      started = true;
      continue;
    }
    if (/\s/u.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
      continue;
    }
    cur += ch;
    started = true;
  }
  if (started) out.push(cur);
  return out;
}

/** Splits off `key:value` options whose key is in `keys`; the rest stay in order. */
export function takeOptions<K extends string>(words: string[], keys: readonly K[]): { options: Partial<Record<K, string>>; rest: string[] } {
  const options: Partial<Record<K, string>> = {};
  const rest: string[] = [];
  for (const w of words) {
    // Keys in Latin letters (any case) or a few Chinese characters (地区:).
    const m = /^([a-z]+|\p{Script=Han}{1,4})[:：](.*)$/isu.exec(w);
    const key = m?.[1]?.toLowerCase() as K | undefined;
    if (m && key && keys.includes(key)) options[key] = m[2]!;
    else rest.push(w);
  }
  return { options, rest };
}

/**
 * The text after the first `n` words, as typed (spacing and line breaks kept): for free
 * text such as notes and plans.
 */
export function restAfter(text: string, n: number): string {
  let s = text.trimStart();
  for (let i = 0; i < n; i++) s = s.replace(/^\S+\s*/u, '');
  return s.trim();
}
