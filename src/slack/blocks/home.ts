import type { ItemListRow } from '../../db/action-items.repo.js';
import type { Messages } from '../../i18n/index.js';
import { dateIn } from '../../domain/time.js';
import { mrkdwn, plain, type KnownBlock, type View } from '../kit.js';
import { clip, esc } from '../mrkdwn.js';
import { itemLine } from './action-item.js';
import { chunkLines } from './case-card.js';

export interface HomeCase {
  ref: string;
  title: string;
  status: string;
  supervised: boolean;
}

export interface HomeData {
  items: ItemListRow[];
  /** Each item's group zone, by group id: "today" and due times are read there. */
  zones: Map<number, string>;
  cases: HomeCase[];
  now: Date;
}

/** The App Home tab: the reader's overdue, due-today and upcoming items, then their open cases. */
export function homeView(d: HomeData, m: Messages): View {
  const overdue: string[] = [];
  const today: string[] = [];
  const upcoming: string[] = [];
  for (const i of d.items) {
    const zone = d.zones.get(i.group_id) ?? 'UTC';
    const line = itemLine(i, zone, d.now, m);
    if (i.due_at <= d.now) overdue.push(line);
    else if (dateIn(i.due_at, zone) === dateIn(d.now, zone)) today.push(line);
    else upcoming.push(line);
  }
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(m.homeTitle) }];
  const section = (title: string, lines: string[], empty: string) => {
    blocks.push({ type: 'section', text: mrkdwn(`*${title}*${m.aside(String(lines.length))}`) });
    if (lines.length === 0) blocks.push({ type: 'context', elements: [mrkdwn(empty)] });
    for (const chunk of chunkLines(lines, 2900).slice(0, 20)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  };
  section(m.homeOverdue, overdue, m.homeNothing);
  section(m.homeToday, today, m.homeNothing);
  section(m.homeUpcoming, upcoming, m.homeNothing);
  blocks.push({ type: 'divider' });
  const caseLines = d.cases.map((c) => `${c.supervised ? ':pushpin: ' : ''}*${c.ref}* ${esc(clip(c.title, 80))} · ${c.status}`);
  section(m.homeCases, caseLines, m.homeNoCases);
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
