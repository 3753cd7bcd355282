import { daysAsElapsed } from '../../domain/stats.js';
import type { Messages } from '../../i18n/index.js';
import type { GroupStats, YearFigures } from '../../services/stats.service.js';
import { money } from '../format.js';
import { mrkdwn, type KnownBlock, type Message } from '../kit.js';
import { clip, esc, escClip } from '../mrkdwn.js';

/**
 * `/docket stats [YEAR]` as a reply: one section per year (a phone shows sections one under
 * the other; columns of figures would need a monospace block, where Chinese characters take
 * two columns and break the alignment), then the total since the first case, then the open
 * cases now. Every list is capped and every section clipped, so any ledger fits Slack's
 * limits: 50 blocks, 3000 characters of section text.
 */

const SECTION_MAX = 3000;
/** Entries of one list (regions, units, currencies) before "N more". */
const LIST_MAX = 12;
/** Year sections besides the title, the total, the earlier-years note and the open cases. */
export const YEARS_SHOWN = 45;

/** The first LIST_MAX of `items`, each shown with `show` (only those are formatted), and how many more. */
function capped<T>(items: readonly T[], show: (item: T) => string, m: Messages): string {
  const shown = items.slice(0, LIST_MAX).map(show);
  if (items.length > LIST_MAX) shown.push(m.statsMore(items.length - LIST_MAX));
  return m.list(shown);
}

function moneyOf(y: YearFigures, kind: 'recovered' | 'frozen', m: Messages): string | null {
  const rows = y.money.filter((x) => x.kind === kind);
  return rows.length ? capped(rows, (x) => money(x.total, x.currency, m), m) : null;
}

/** The lines of one year (or of every year together): what it has, nothing for what it lacks. */
export function yearLines(y: YearFigures, m: Messages): string[] {
  const lines: string[] = [];
  const closed = y.closed.reduce((n, x) => n + x.count, 0);
  const counts = [m.statsOpened(y.opened)];
  if (closed) counts.push(m.statsClosed(closed) + m.aside(m.list(y.closed.map((x) => m.statsCount(m.outcomeName(x.outcome), x.count)))));
  lines.push(counts.join(' · '));
  if (y.found.some((x) => x.region !== null)) {
    lines.push(m.statsFound(capped(y.found, (x) => (x.region === null ? m.statsNoPlace : escClip(x.region, 60)) + m.aside(String(x.count)), m)));
  }
  const recovered = moneyOf(y, 'recovered', m);
  const frozen = moneyOf(y, 'frozen', m);
  const amounts = [recovered ? m.statsRecovered(recovered) : '', frozen ? m.statsFrozen(frozen) : ''].filter((x) => x);
  if (amounts.length) lines.push(amounts.join(' · '));
  if (y.medianAtLarge) lines.push(m.statsMedian(m.elapsed(daysAsElapsed(y.medianAtLarge.days)), y.medianAtLarge.cases));
  return lines;
}

function nowLines(s: GroupStats, m: Messages): string[] {
  const lines = [m.statsNow, m.statsOpenNow(s.open.open)];
  if (!s.open.open) return lines;
  lines.push(m.statsByUnit(capped(s.openByUnit, (u) => (u.unitName === null ? m.statsNoUnit : escClip(u.unitName, 60)) + m.aside(String(u.count)), m)));
  const buckets = s.openByYearsAtLarge.filter((b) => b.count > 0);
  lines.push(m.statsByYearsAtLarge(m.list(buckets.map((b) => m.yearsAtLargeNames[b.bucket] + m.aside(String(b.count))))));
  return lines;
}

const section = (lines: string[]): KnownBlock => ({ type: 'section', text: mrkdwn(clip(lines.join('\n'), SECTION_MAX)) });

/** The reply: with `year`, that year and the open cases now; without, every year, the total and the open cases now. */
export function statsMessage(groupName: string, s: GroupStats, year: number | null, m: Messages): Message {
  const title = m.statsTitle(esc(groupName));
  const blocks: KnownBlock[] = [section([title])];
  if (year !== null) {
    const y = s.years.find((x) => x.year === year);
    blocks.push(section([m.statsYear(year), ...(y ? yearLines(y, m) : [m.statsNothingIn(year)])]));
  } else if (s.open.firstOpenedOn === null) {
    blocks.push(section([m.statsNoCases]));
    return { text: title, blocks };
  } else {
    const earlier = Math.max(0, s.years.length - YEARS_SHOWN);
    if (earlier) blocks.push(section([m.statsEarlierYears(earlier)]));
    for (const y of s.years.slice(earlier)) blocks.push(section([m.statsYear(y.year!), ...yearLines(y, m)]));
    blocks.push(section([m.statsTotal(s.open.firstOpenedOn), ...yearLines(s.total, m)]));
  }
  blocks.push(section(nowLines(s, m)));
  return { text: title, blocks };
}
