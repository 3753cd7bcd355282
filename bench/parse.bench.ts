/**
 * Parsing cost of the worst input docket accepts. chrono-node is quadratic on long numeral
 * runs, so every typed field is capped before parsing (src/domain/input-limits.ts); this
 * times each parser on the longest strings those caps let through, plus the refusals of
 * longer ones, one call at a time. Target: every p99 under a few milliseconds, so no command
 * holds up anyone else's ack; the real inputs in the table are the floor the worst ones are
 * read against (the machine's GC and neighbours move every p99 alike).
 */
import os from 'node:os';
import * as chrono from 'chrono-node';
import { parseAction } from '../commands/action.parse.js';
import { readDue } from '../commands/action.shared.js';
import { parseCase } from '../commands/case.parse.js';
import { readAmount } from '../commands/case.shared.js';
import type { Group } from '../src/db/groups.table.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { parseDateInput, parseDateTimeInput } from '../src/domain/time.js';
import { fromSlackText } from '../src/slack/mrkdwn.js';
import { flag } from './lib/env.js';
import { runLine, stats, writeSection, type Stats } from './lib/report.js';

const ZONE = 'Asia/Shanghai';
const group = { time_zone: ZONE, currency: 'CNY' } as Group;
/** "A few milliseconds" (issue 7): well under what one slow request may cost everyone else's ack. */
const TARGET_P99_MS = 5;

/** `unit` repeated, then cut, to exactly `n` characters. */
const fill = (unit: string, n: number) => [...unit.repeat(Math.ceil(n / [...unit].length))].slice(0, n).join('');

const W = INPUT_MAX.when;
const dates: [string, string][] = [
  ['十 × 100', fill('十', W)],
  ['digits and numerals mixed', fill('1十二3', W)],
  ['Chinese date words', fill('二零一九年九月二十二日', W)],
  ['Chinese relative times', fill('下周五17:00明天上午9点', W)],
  ['English phrases', fill('next friday at 5pm ', W)],
  ['English relative', fill('in 3 days ', W)],
  ['digits', fill('1', W)],
  ['digits and spaces', fill('1 ', W)],
  ['a real one: next Friday 17:00', 'next Friday 17:00'],
  ['a real one: 下周五17:00', '下周五17:00'],
];

const A = INPUT_MAX.amount;
const amounts: [string, string][] = [
  ['grouped digits', `1${fill(' 234', A - 4)}.56`],
  ['万 and 亿', fill('2亿3000万', A - 1) + '元'],
  ['digits', fill('9', A)],
];

/** The whole path of `/action add`, as the listener runs it, at the command cap. */
const longest = `add GZ-2021-001 ${fill('查', INPUT_MAX.command - 16 - 5 - W)} due:${fill('十', W)}`;
const longNote = `note GZ-2021-001 ${fill('長', INPUT_MAX.command - 17)}`;
const hugeDue = `add GZ-2021-001 x due:${fill('十', 32_000)}`;
const longDue = fill('十', 3900);
const commands: [string, () => unknown][] = [
  // 十 alone is no date: the parse ends in a refusal, which costs what a success does.
  ['/action add, 4,000 characters, due of 100 十', () => refused(() => readDue(parseActionDue(longest), group, new Date()))],
  ['/case note, 4,000 characters', () => parseCase(fromSlackText(longNote))],
  ['refused: /action add with a due of 32,000 十', () => refused(() => parseAction(fromSlackText(hugeDue)))],
  ['refused: due of 3,900 十 (under the command cap)', () => refused(() => readDue(longDue, group, new Date()))],
];

function parseActionDue(text: string): string {
  const cmd = parseAction(fromSlackText(text));
  if (cmd.sub !== 'add') throw new Error('not an add');
  return cmd.due;
}

function refused(fn: () => unknown): void {
  try {
    fn();
  } catch {
    return;
  }
  throw new Error('expected a refusal');
}

function time(fn: () => unknown, n: number): Stats {
  for (let i = 0; i < Math.min(50, n); i++) fn(); // warm-up: JIT, chrono's lazy patterns
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

const ms3 = (v: number) => `${v.toFixed(3)} ms`;

export default async function run(flags: string[]): Promise<void> {
  const n = Number(flag(flags, 'n', '1000'));
  // Shared machines: the load says how much of a p99 is the neighbours'.
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const rows: { what: string; len: number; s: Stats }[] = [];
  const measure = (what: string, len: number, fn: () => unknown) => {
    const s = time(fn, n);
    rows.push({ what, len, s });
    console.log(`${what.padEnd(50)} ${String(len).padStart(5)}  p50 ${ms3(s.p50)}  p99 ${ms3(s.p99)}  max ${ms3(s.max)}`);
  };
  const now = new Date();
  for (const [what, text] of dates) {
    measure(`date and time: ${what}`, [...text].length, () => parseDateTimeInput(text, ZONE, now, { forward: true }));
    measure(`date: ${what}`, [...text].length, () => parseDateInput(text, ZONE, now));
  }
  for (const [what, text] of amounts) measure(`amount: ${what}`, [...text].length, () => refusedOr(() => readAmount(text, null, group)));
  for (const [what, fn] of commands) measure(what, 0, fn);

  // What the caps prevent: chrono alone on the 十 a 4,000-character command could carry.
  const uncapped = time(() => chrono.zh.casual.parse(fill('十', 4000), now), 3);
  console.log(`uncapped chrono, 4,000 十: p50 ${ms3(uncapped.p50)}`);

  const worst = rows.reduce((a, b) => (b.s.p99 > a.s.p99 ? b : a));
  const floor = rows.filter((r) => r.what.includes('a real one')).reduce((a, b) => (b.s.p99 > a.s.p99 ? b : a));
  const met = worst.s.p99 < TARGET_P99_MS;
  const body = [
    runLine(),
    `Each parser called ${n} times in a row (after a warm-up) on the longest input the caps accept: ${INPUT_MAX.command.toLocaleString('en-US')} characters for a command, ${W} for a date or time, ${A} for an amount (src/domain/input-limits.ts). Times are per call, one call at a time, in the benchmark's own process. Load average (1 / 5 / 15 min) at the start: ${load} on ${os.cpus().length} cores.`,
    '',
    '| input | characters | p50 | p99 | max |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.len || '—'} | ${ms3(r.s.p50)} | ${ms3(r.s.p99)} | ${ms3(r.s.max)} |`),
    '',
    `Without the caps: chrono alone on 4,000 十 (what a command could otherwise carry) took ${Math.round(uncapped.p50)} ms per call; 32,000 took about 9 s (chrono's cost grows with the square of the input).`,
    `Target: every p99 under ${TARGET_P99_MS} ms. Worst p99: ${ms3(worst.s.p99)} (${worst.what}); the slowest real input's p99 in the same run: ${ms3(floor.s.p99)} (${floor.what}). ${met ? 'Met.' : 'NOT met.'}`,
  ].join('\n');
  await writeSection('Parsing the longest accepted input', body);
}

function refusedOr(fn: () => unknown): void {
  try {
    fn();
  } catch {
    /* a refusal costs what a parse does; both are timed */
  }
}
