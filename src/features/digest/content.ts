import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Group } from '../../db/groups.table.js';
import { overdueByOwner } from '../../db/action-items.repo.js';
import { changesOfMany } from '../../db/meetings.repo.js';
import { formatItemNo } from '../../domain/action-item.js';
import { OUTCOMES, type Outcome } from '../../domain/case-status.js';
import { dateIn, formatInstant, formatWithOffset } from '../../domain/time.js';
import type { Messages } from '../../i18n/index.js';
import { money as moneyText } from '../../slack/format.js';
import { esc, escClip, mention } from '../../slack/mrkdwn.js';
import { timelineLines } from '../timeline.js';
import { heldBetween } from '../meetings/occurrences.js';
import { closuresByYear, moneyByYear, type ClosureCount, type MoneyYearTotal } from '../../services/stats.service.js';
import { openAt } from '../../db/stats.repo.js';

/** Lines per section; the rest are counted. */
const SECTION_MAX = 10;
/** A supervised case's entries of the week shown in the digest. */
const EVENTS_PER_CASE = 5;
const WEEK_MS = 7 * 86_400_000;

/** The week a digest covers: (from, to], `to` being when it is due. */
export interface DigestPeriod {
  from: Date;
  to: Date;
}

const capped = (lines: string[], m: Messages) => (lines.length > SECTION_MAX ? [...lines.slice(0, SECTION_MAX), m.digestMore(lines.length - SECTION_MAX)] : lines);

/** Closures in `year` by outcome, from the statistics' per-year counts. */
const closuresIn = (rows: ClosureCount[], year: number) => new Map(rows.filter((r) => r.year === year).map((r) => [r.outcome, r.count]));

/** Money of one kind per currency: in `year` (by the entry's own date) and in total, from the statistics' per-year sums. */
function moneyOf(rows: MoneyYearTotal[], kind: 'recovered' | 'frozen', year: number): { currency: string; year: string; total: string }[] {
  return rows
    .filter((r) => r.kind === kind && r.year === null)
    .map((t) => ({ currency: t.currency, year: rows.find((r) => r.kind === kind && r.year === year && r.currency === t.currency)?.total ?? '0', total: t.total }));
}

/**
 * A parent group's roll-up (its digest and `/docket stats`): per child group, open cases, closures this year by outcome, money
 * recovered this year, overdue items. Figures only: the cases stay in the child's channel.
 */
export async function childGroupLines(db: Executor, g: Group, year: number, at: Date, m: Messages): Promise<string[]> {
  const children = await db.selectFrom('groups').selectAll().where('parent_group_id', '=', g.id).orderBy('name').execute();
  if (children.length === 0) return [];
  const ids = children.map((c) => c.id);
  const [open, closed, recovered, overdue] = await Promise.all([
    sql<{ group_id: number; n: number }>`select group_id, count(*)::int as n from cases where group_id in (${sql.join(ids)}) and status <> 'closed' group by group_id`.execute(db),
    sql<{ group_id: number; outcome: Outcome; n: number }>`
      select c.group_id, c.outcome, count(*)::int as n from cases c join groups g on g.id = c.group_id
       where c.group_id in (${sql.join(ids)}) and c.status = 'closed' and extract(year from c.closed_at at time zone g.time_zone) = ${year}
       group by c.group_id, c.outcome`.execute(db),
    sql<{ group_id: number; currency: string; amount: string }>`
      select c.group_id, e.currency, sum(e.amount)::text as amount from money_entries e join cases c on c.id = e.case_id
       where c.group_id in (${sql.join(ids)}) and e.kind = 'recovered'
         and e.occurred_on >= make_date(${year}, 1, 1) and e.occurred_on < make_date(${year + 1}, 1, 1)
       group by c.group_id, e.currency order by e.currency`.execute(db),
    sql<{ group_id: number; n: number }>`select group_id, count(*)::int as n from action_items where group_id in (${sql.join(ids)}) and state = 'open' and due_at < ${at} group by group_id`.execute(db),
  ]);
  const count = (rows: { group_id: number; n: number }[], id: number) => rows.find((r) => r.group_id === id)?.n ?? 0;
  return [
    `*${m.digestChildGroups}*`,
    ...children.map((c) => {
      const byOutcome = new Map(closed.rows.filter((r) => r.group_id === c.id).map((r) => [r.outcome, r.n]));
      const money = recovered.rows.filter((r) => r.group_id === c.id).map((r) => moneyText(r.amount, r.currency, m));
      return `• ${m.digestChildLine({ name: esc(c.name), open: count(open.rows, c.id), year, closed: closuresText(byOutcome, m), recovered: money.length ? m.list(money) : m.digestNone, overdue: count(overdue.rows, c.id) })}`;
    }),
  ];
}

function closuresText(byOutcome: Map<Outcome, number>, m: Messages): string {
  const parts = OUTCOMES.filter((o) => byOutcome.get(o)).map((o) => `${byOutcome.get(o)} ${m.outcomeName(o)}`);
  return parts.length ? m.list(parts) : m.digestNone;
}

/**
 * The digest of one group for one week, read from the ledger: the week's cases opened and
 * closed; closures this year by outcome next to last year's; money recovered this year and in
 * total, and frozen; open cases against the target of zero and the change since last week;
 * what happened on each supervised case; overdue items by owner; items due and meetings in
 * the coming week. A week with nothing to say says so in a line.
 */
export async function digestLines(db: Executor, g: Group, p: DigestPeriod, m: Messages): Promise<string[]> {
  const zone = g.time_zone;
  const year = Number(dateIn(p.to, zone).slice(0, 4));
  const ahead = new Date(p.to.getTime() + WEEK_MS);
  const [opened, closed, openNow, openBefore, closures, money, supervised, overdue, due, meetings] = await Promise.all([
    db.selectFrom('cases').select(['ref', 'title']).where('group_id', '=', g.id).where('opened_on', '>', dateIn(p.from, zone)).where('opened_on', '<=', dateIn(p.to, zone)).orderBy('ref').execute(),
    db.selectFrom('cases').select(['ref', 'title', 'outcome']).where('group_id', '=', g.id).where('status', '=', 'closed').where('closed_at', '>', p.from).where('closed_at', '<=', p.to).orderBy('ref').execute(),
    openAt(db, g.id, zone, p.to),
    openAt(db, g.id, zone, p.from),
    closuresByYear(db, g.id, zone),
    moneyByYear(db, g.id),
    db.selectFrom('cases').select(['id', 'ref', 'title', 'supervisor_user_id']).where('group_id', '=', g.id).where('status', '<>', 'closed').where('supervisor_user_id', 'is not', null).orderBy('ref').execute(),
    overdueByOwner(db, g.id, p.to),
    db.selectFrom('action_items').select(['seq', 'text', 'due_at']).where('group_id', '=', g.id).where('state', '=', 'open').where('due_at', '>', p.to).where('due_at', '<=', ahead).orderBy('due_at').execute(),
    db.selectFrom('meetings').selectAll().where('group_id', '=', g.id).where('cancelled_at', 'is', null).orderBy('seq').execute(),
  ]);
  const [thisYear, lastYear] = [closuresIn(closures, year), closuresIn(closures, year - 1)];
  const [recovered, frozen] = [moneyOf(money, 'recovered', year), moneyOf(money, 'frozen', year)];
  const events = supervised.length
    ? await db.selectFrom('audit_events').selectAll().where('case_id', 'in', supervised.map((c) => c.id)).where('at', '>', p.from).where('at', '<=', p.to).orderBy('at').orderBy('id').execute()
    : [];

  const lines = [m.digestTitle(esc(g.name), dateIn(p.from, zone), dateIn(p.to, zone)), m.digestWeek(opened.length, closed.length)];
  for (const c of opened) lines.push(`• :new: *${c.ref}* ${escClip(c.title, 80)}`);
  for (const c of closed) lines.push(`• :white_check_mark: *${c.ref}* ${escClip(c.title, 80)}${m.aside(m.outcomeName(c.outcome!))}`);
  lines.push(m.digestOpen(openNow, openNow - openBefore), m.digestClosures(year, closuresText(thisYear, m), year - 1, closuresText(lastYear, m)));
  if (recovered.length) lines.push(m.digestRecovered(year, m.list(recovered.map((r) => moneyText(r.year, r.currency, m))), m.list(recovered.map((r) => moneyText(r.total, r.currency, m)))));
  if (frozen.length) lines.push(m.digestFrozen(m.list(frozen.map((r) => moneyText(r.total, r.currency, m)))));

  lines.push(...(await childGroupLines(db, g, year, p.to, m)));

  const quiet = opened.length === 0 && closed.length === 0 && events.length === 0 && overdue.length === 0;
  if (quiet) return [...lines, m.digestQuiet];

  if (supervised.length) {
    lines.push(`*${m.digestSupervised}*`);
    const section: string[] = [];
    for (const c of supervised) {
      const of = events.filter((e) => e.case_id === c.id);
      section.push(`• *${c.ref}* ${escClip(c.title, 80)} · ${mention(c.supervisor_user_id!)}${of.length ? '' : `: _${m.digestNothingOn}_`}`);
      for (const line of timelineLines(of.slice(-EVENTS_PER_CASE), { m, zone })) section.push(`    ◦ ${line}`);
    }
    lines.push(...capped(section, m));
  }
  if (overdue.length) {
    lines.push(`*${m.digestOverdue}*`, ...capped(overdue.map((o) => `• ${m.detail(o.user ? mention(o.user) : o.unit ? escClip(o.unit, 60) : '—', m.list(o.nos.map(formatItemNo)))}`), m));
  }
  if (due.length) lines.push(`*${m.digestDueThisWeek}*`, ...capped(due.map((i) => `• ${formatItemNo(i.seq)} ${escClip(i.text, 80)} · ${formatInstant(i.due_at, zone)}`), m));
  const changes = await changesOfMany(db, meetings.map((x) => x.id));
  const held = meetings.flatMap((meeting) => heldBetween({ meeting, changes: changes.get(meeting.id) ?? [] }, p.to, ahead).map((at) => ({ meeting, at })));
  held.sort((a, b) => a.at.getTime() - b.at.getTime());
  if (held.length) lines.push(`*${m.digestMeetings}*`, ...capped(held.map((x) => `• #${x.meeting.seq} ${escClip(x.meeting.title, 80)} · ${formatWithOffset(x.at, x.meeting.time_zone)}`), m));
  return lines;
}
