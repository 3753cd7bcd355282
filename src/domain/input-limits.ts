/**
 * How much docket reads of anything typed, checked before any parser sees it. chrono-node is
 * quadratic on long runs of Chinese numerals (one `due:` of 32,000 十 held the event loop for
 * 9 s, and every other user's ack with it), so each parsed field is capped at what a person
 * would ever type there. bench/parse.bench.ts times the worst inputs these caps let through.
 */
export const INPUT_MAX = {
  /**
   * A whole slash command. Slack lets people send far more; the longest thing a command
   * carries is a note or plan (2,900 characters) plus a few words, so 4,000 leaves room.
   */
  command: 4000,
  /** A date or time: "2019-09-22 07:24", "下周五17:00", "the day after tomorrow at 5:30pm". */
  when: 100,
  /** An amount: "¥1,234,567,890.12", "2亿3000万元". */
  amount: 40,
  /** A single setting word: a time zone name, a currency code, a language. */
  word: 64,
  /** A recurrence: a phrase ("every 2 weeks on Monday and Thursday") or an RFC 5545 rule. */
  rule: 200,
} as const;

/** More than `max` characters (code points, as LIMITS counts them), found without copying the text. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false; // code points never outnumber UTF-16 units
  let n = 0;
  for (const _ of text) if (++n > max) return true;
  return false;
}
