import type { YearsAtLarge } from '../../domain/stats.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The statistics' wording: `/docket stats [YEAR]` (and the weekly digest's figures).
 * English is the reference: its type is the catalog's, and the Chinese must match it key for
 * key (the compiler checks). Values are mrkdwn; names a user typed are escaped by the caller.
 */
export const statsEn = {
  statsUsage: '/docket stats [YEAR]',
  badStatsYear: (word: string) => `“${word}” is not a year: type four digits, e.g. \`/docket stats 2021\`.`,
  statsTitle: (group: string) => `*Statistics of ${group}*, each figure counted in the year it happened`,
  statsYear: (year: number) => `*${year}*`,
  statsTotal: (firstOpenedOn: string) => `*Total since the first case, opened ${firstOpenedOn}*`,
  statsNoCases: 'No cases yet: the figures start with the first `/case open`.',
  statsNothingIn: (year: number) => `Nothing happened in ${year}: no case opened or closed, no money recorded.`,
  statsEarlierYears: (n: number) => `${plural(n, 'earlier year is', 'earlier years are')} left out here: \`/docket stats YEAR\` shows one year.`,
  statsOpened: (n: number) => `Opened: ${n}`,
  statsClosed: (n: number) => `Closed: ${n}`,
  /** A count after the thing counted, in a list: "returned 4". */
  statsCount: (what: string, n: number) => `${what} ${n}`,
  statsFound: (places: string) => `Found in: ${places}`,
  statsNoPlace: 'place not recorded',
  statsMore: (n: number) => `${n} more`,
  statsRecovered: (amounts: string) => `Recovered: ${amounts}`,
  statsFrozen: (amounts: string) => `Frozen: ${amounts}`,
  statsMedian: (span: string, cases: number) => `Median time at large: ${span} (${plural(cases, 'subject', 'subjects')} returned or surrendered)`,
  statsNow: '*Now*',
  statsOpenNow: (open: number) => (open ? `Open cases: ${open}, against a target of zero` : 'Open cases: none, the target of zero is met'),
  statsByUnit: (units: string) => `By unit: ${units}`,
  statsNoUnit: 'no unit',
  statsByYearsAtLarge: (buckets: string) => `By time at large: ${buckets}`,
  yearsAtLargeNames: { lt1: 'under 1 year', y1to2: '1–2 years', y2to5: '2–5 years', y5to10: '5–10 years', y10plus: '10 years or more' } satisfies Record<YearsAtLarge, string>,
};

export type StatsMessages = typeof statsEn;

/** 简体中文. */
export const statsZh: StatsMessages = {
  statsUsage: '/docket stats [年份]',
  badStatsYear: (word) => `“${word}”不是年份：请输入四位数字，如 \`/docket stats 2021\`。`,
  statsTitle: (group) => `*${group} 统计*，各项按发生年份计`,
  statsYear: (year) => `*${year} 年*`,
  statsTotal: (firstOpenedOn) => `*自首案立案（${firstOpenedOn}）以来合计*`,
  statsNoCases: '尚无案件：统计从第一次 `/case open` 开始。',
  statsNothingIn: (year) => `${year} 年无记录：没有立案、结案，也没有资金记录。`,
  statsEarlierYears: (n) => `此处未列出更早的 ${n} 个年份：\`/docket stats 年份\` 可查看单独一年。`,
  statsOpened: (n) => `立案：${n} 件`,
  statsClosed: (n) => `结案：${n} 件`,
  statsCount: (what, n) => `${what} ${n}`,
  statsFound: (places) => `查获地点：${places}`,
  statsNoPlace: '未记录地点',
  statsMore: (n) => `另有 ${n} 项`,
  statsRecovered: (amounts) => `追回资金：${amounts}`,
  statsFrozen: (amounts) => `冻结资金：${amounts}`,
  statsMedian: (span, cases) => `在逃时间中位数：${span}（追回或投案 ${cases} 人）`,
  statsNow: '*当前*',
  statsOpenNow: (open) => (open ? `未结案件：${open} 件，目标为清零` : '未结案件：无，已实现清零目标'),
  statsByUnit: (units) => `按单位：${units}`,
  statsNoUnit: '未指定单位',
  statsByYearsAtLarge: (buckets) => `按在逃时间：${buckets}`,
  yearsAtLargeNames: { lt1: '不足 1 年', y1to2: '1–2 年', y2to5: '2–5 年', y5to10: '5–10 年', y10plus: '10 年及以上' },
};
