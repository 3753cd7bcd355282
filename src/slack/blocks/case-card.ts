import type { CaseRow } from '../../db/cases.table.js';
import type { CaseListRow } from '../../db/cases.repo.js';
import type { MoneyTotal, MoneyYear } from '../../db/money.repo.js';
import type { MoneyEntry } from '../../db/money.table.js';
import { LIMITS } from '../../domain/case-fields.js';
import type { Messages } from '../../i18n/index.js';
import { formatInstant } from '../../domain/time.js';
import { atLargeFor, money, placeText } from '../format.js';
import { mrkdwn, plain, type Button, type KnownBlock, type Message } from '../kit.js';
import { clip, esc, escClip, mention } from '../mrkdwn.js';
import { ITEM_ACTIONS } from './action-ids.js';

export const ACTIONS = {
  show: 'case.show',
  edit: 'case.edit',
  status: 'case.status',
  note: 'case.note',
  close: 'case.close',
  closeConfirm: 'case.close.confirm',
  cancel: 'dialog.cancel',
} as const;

export interface CardData {
  case: CaseRow;
  unitName: string | null;
  totals: MoneyTotal[];
  /** The latest money entries by their own date (a few; the rest are in `/case money REF`). */
  moneyEntries: MoneyEntry[];
  /** The newest timeline entries, newest first, already described (src/features/timeline.ts). */
  timeline: string[];
  zone: string;
  /** What the reader may do: the card offers only those buttons. */
  may: { write: boolean; govern: boolean };
  now: Date;
}

function field(label: string, value: string | null): { type: 'mrkdwn'; text: string } {
  return mrkdwn(`*${label}*\n${value ?? '—'}`);
}

export function statusText(c: CaseRow, zone: string, m: Messages): string {
  const name = c.status === 'closed' && c.outcome ? m.statusName('closed') + m.aside(m.outcomeName(c.outcome)) : m.statusName(c.status);
  return m.statusSince(name, formatInstant(c.status_changed_at, zone));
}

export function moneyLines(totals: MoneyTotal[], m: Messages): string {
  if (totals.length === 0) return m.noMoney;
  return totals.map((t) => m.moneyLine(m.moneyKindName(t.kind), money(t.total, t.currency, m))).join('\n');
}

/** One money entry: its own date, what and how much (a correction said so), and its note. */
export function moneyEntryLine(e: MoneyEntry, m: Messages): string {
  const amount = money(e.amount, e.currency, m);
  const what = e.correction ? m.moneyCorrectionOf(m.moneyKindName(e.kind), amount) : `${m.moneyKindName(e.kind)} ${amount}`;
  return `${e.occurred_on} · ${what}${e.note ? ` · ${escClip(e.note, 200)}` : ''}`;
}

/** The money section of a card: totals, then the latest entries with their dates and notes. */
function moneySection(c: CaseRow, totals: MoneyTotal[], entries: MoneyEntry[], m: Messages): string {
  const count = totals.reduce((n, t) => n + t.entries, 0);
  const lines = [moneyLines(totals, m), ...entries.map((e) => `_${moneyEntryLine(e, m)}_`)];
  if (count > entries.length) lines.push(m.moneyMore(count - entries.length, c.ref));
  return lines.join('\n');
}

/**
 * `/case money REF`: per kind and currency the total, per year of the entries' own dates the
 * sum (corrections counted in, and said), then the entries, latest first.
 */
export function moneySummary(ref: string, totals: MoneyTotal[], byYear: MoneyYear[], entries: MoneyEntry[], m: Messages): Message {
  const header = m.moneySummaryTitle(ref);
  if (totals.length === 0) return { text: `${header}\n${m.noMoney}` };
  const lines: string[] = [];
  for (const t of totals) {
    lines.push(`*${m.moneyLine(m.moneyKindName(t.kind), money(t.total, t.currency, m))}*`);
    for (const y of byYear.filter((y) => y.kind === t.kind && y.currency === t.currency)) {
      lines.push(`    ${m.moneyYearLine(y.year, money(y.total, y.currency, m), y.entries, y.corrections)}`);
    }
  }
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(header) }];
  for (const chunk of chunkLines(lines, 2900)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  blocks.push({ type: 'section', text: mrkdwn(`*${m.moneyEntriesTitle}*`) });
  for (const chunk of chunkLines(entries.map((e) => moneyEntryLine(e, m)), 2900)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  return { text: header, blocks };
}

/** Everything about one case, with the buttons to act on it. */
export function caseCard(d: CardData, m: Messages): Message {
  const c = d.case;
  const opt = (v: string | null) => (v ? esc(v) : null);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(clip(`${c.ref} · ${c.title}`, 150)) },
    {
      type: 'section',
      fields: [
        field(m.fieldStatus, statusText(c, d.zone, m)),
        field(m.fieldSupervisor, c.supervisor_user_id ? `:pushpin: ${mention(c.supervisor_user_id)}` : null),
        field(m.fieldSubject, opt(c.subject)),
        field(m.fieldCategory, opt(c.category)),
        field(m.fieldUnit, opt(d.unitName)),
        field(m.fieldOpened, c.opened_on),
        field(m.fieldSince, c.at_large_since),
        field(m.fieldAtLargeFor, atLargeFor(c, d.zone, d.now, m)),
        field(m.fieldLocation, opt(c.last_location)),
        ...(c.found_region || c.found_city ? [field(m.fieldFound, placeText({ region: c.found_region, city: c.found_city }, m))] : []),
      ],
    },
    {
      type: 'section',
      text: mrkdwn(c.plan ? `*${m.planVersion(c.plan_version)}*\n${escClip(c.plan, LIMITS.plan)}` : `*${m.fieldPlan}*\n${m.noPlan}`),
    },
    { type: 'section', text: mrkdwn(clip(`*${m.moneyTitle}*\n${moneySection(c, d.totals, d.moneyEntries, m)}`, 3000)) },
  ];
  if (d.timeline.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(clip(`*${m.timelineTitle}*\n${d.timeline.join('\n')}`, 3000))] });
  }
  const open = c.status !== 'closed';
  const button = (action_id: string, text: string): Button => ({ type: 'button', action_id, text: plain(text), value: c.ref });
  const buttons: Button[] = [
    ...(d.may.write ? [button(ACTIONS.edit, m.buttonEdit)] : []),
    ...(d.may.write && open ? [button(ACTIONS.status, m.buttonStatus)] : []),
    ...(d.may.write ? [button(ACTIONS.note, m.buttonNote)] : []),
    ...(d.may.write && open ? [button(ITEM_ACTIONS.add, m.actionButtonAdd)] : []),
    ...(d.may.govern && open ? [button(ACTIONS.close, m.buttonClose)] : []),
  ];
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'case_actions', elements: buttons });
  // The fallback text is mrkdwn too (notifications, screen readers): escaped like the rest.
  return { text: `${c.ref} · ${escClip(c.title, 150)}`, blocks };
}

/** One case in a list: reference, title, status, unit, opening date. */
export function caseLine(c: CaseListRow, m: Messages): string {
  return m.listLine({
    ref: c.ref,
    title: escClip(c.title, 80),
    status: c.status === 'closed' && c.outcome ? m.statusName('closed') + m.aside(m.outcomeName(c.outcome)) : m.statusName(c.status),
    supervised: c.supervisor_user_id !== null,
    unit: c.unit_name ? esc(c.unit_name) : null,
    opened: c.opened_on,
  });
}

/** The ledger: one line per case, in a few sections so a long list stays within Slack's limits. */
export function caseList(rows: CaseListRow[], total: number, state: 'open' | 'closed' | 'all', m: Messages): Message {
  const header = m.listTitle(state, total);
  if (rows.length === 0) return { text: `${header}\n${m.listEmpty}` };
  const lines = rows.map((c) => caseLine(c, m));
  if (total > rows.length) lines.push(m.listMore(total - rows.length));
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(header) }];
  for (const chunk of chunkLines(lines, 2900)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  return { text: header, blocks };
}

/** Joins lines into texts of at most `max` characters, never splitting a line. */
export function chunkLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    const l = clip(line, max);
    if (cur && [...cur].length + 1 + [...l].length > max) {
      out.push(cur);
      cur = l;
    } else cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out;
}

/** Lines of mrkdwn as the section blocks of one message: each within Slack's 3,000 characters, at most 45 of them. */
export function sectionBlocks(lines: string[]): KnownBlock[] {
  return chunkLines(lines, 2900)
    .slice(0, 45)
    .map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

/** A case's history: `lines` oldest first, described (src/features/timeline.ts); `total` counts all entries. */
export function historyMessage(ref: string, lines: string[], total: number, m: Messages): Message {
  const header = m.historyTitle(ref, total);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(header) }];
  if (total > lines.length) blocks.push({ type: 'context', elements: [mrkdwn(m.historyTruncated(lines.length))] });
  for (const chunk of chunkLines(lines, 2900).slice(-40)) blocks.push({ type: 'section', text: mrkdwn(chunk) });
  return { text: header, blocks };
}

/** A channel post announcing a case change, with a button that shows the card to whoever clicks. */
export function casePost(text: string, ref: string, m: Messages): Message {
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(text), accessory: { type: 'button', action_id: ACTIONS.show, text: plain(m.buttonShow), value: ref } },
    ],
  };
}

/** "Are you sure?" with Confirm and Cancel; the confirm button carries what to do. */
export function confirmMessage(text: string, confirm: { actionId: string; value: string; danger?: boolean }, m: Messages): Message {
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      {
        type: 'actions',
        block_id: 'confirm',
        elements: [
          { type: 'button', action_id: confirm.actionId, text: plain(m.buttonConfirm), value: confirm.value, ...(confirm.danger ? { style: 'danger' as const } : { style: 'primary' as const }) },
          { type: 'button', action_id: ACTIONS.cancel, text: plain(m.buttonCancel), value: 'cancel' },
        ],
      },
    ],
  };
}
