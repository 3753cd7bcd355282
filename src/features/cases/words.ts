import { OUTCOMES, SETTABLE_STATUSES, parseOutcomeWord, parseStatusWord, type Outcome, type SettableStatus } from '../../domain/case-status.js';
import { MONEY_KINDS, type MoneyKind } from '../../domain/money.js';
import { casesZh } from './messages.js';

/**
 * What people type back is what docket printed them: statuses, outcomes, money kinds and list
 * filters are read in English (the command words) and as the Chinese names docket shows a
 * Chinese reader (已锁定, 追回, 冻结, 全部…). Maps, so that a typed "constructor" is no word.
 */
function named<T extends string>(values: readonly T[], name: (v: T) => string): Map<string, T> {
  return new Map(values.map((v) => [name(v), v]));
}

const zhStatuses = named(SETTABLE_STATUSES, casesZh.statusName);
const zhOutcomes = named(OUTCOMES, casesZh.outcomeName);
const zhKinds = named(MONEY_KINDS, casesZh.moneyKindName);

export const statusFromWord = (word: string): SettableStatus | undefined => parseStatusWord(word) ?? zhStatuses.get(word.trim());
export const outcomeFromWord = (word: string): Outcome | undefined => parseOutcomeWord(word) ?? zhOutcomes.get(word.trim());

export function moneyKindFromWord(word: string): MoneyKind | undefined {
  const w = word.trim().toLowerCase();
  return (MONEY_KINDS as readonly string[]).includes(w) ? (w as MoneyKind) : zhKinds.get(w);
}

/** `/case list` filters, as the list's own titles name them (在办案件, 已结案件, 全部案件) and shorter. */
const listWords = new Map<string, 'open' | 'closed' | 'all' | 'supervised'>([
  ['open', 'open'],
  ['closed', 'closed'],
  ['all', 'all'],
  ['supervised', 'supervised'],
  ['在办', 'open'],
  ['在办案件', 'open'],
  ['已结', 'closed'],
  ['已结案', 'closed'],
  ['已结案件', 'closed'],
  ['全部', 'all'],
  ['全部案件', 'all'],
  ['督办', 'supervised'],
  ['挂牌督办', 'supervised'],
]);

export const listFilterFromWord = (word: string) => listWords.get(word.trim().toLowerCase());
