import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { overdueByOwner } from '../../db/action-items.repo.js';
import type { Meeting } from '../../db/meetings.table.js';
import { heldAfter, heldBefore, type Series } from './occurrences.js';
import { formatItemNo } from '../../domain/action-item.js';
import { dateIn } from '../../domain/time.js';
import type { Messages } from '../../i18n/index.js';
import { escClip, mention } from '../../slack/mrkdwn.js';

/** Lines per agenda section; the rest are counted and pointed to. */
export const AGENDA_SECTION_MAX = 10;
/** A case with nothing recorded for this long is raised at the meeting. */
export const QUIET_DAYS = 30;

interface Section {
  title: string;
  lines: string[];
  more: number;
}

const capped = (title: string, lines: string[], total: number): Section => ({ title, lines: lines.slice(0, AGENDA_SECTION_MAX), more: Math.max(0, total - Math.min(lines.length, AGENDA_SECTION_MAX)) });

/**
 * The agenda of one occurrence, read from the ledger when it is asked for (a reminder going out,
 * `/meeting agenda`): supervised cases first, overdue items by unit, items due before the next
 * meeting, cases quiet for QUIET_DAYS, cases opened and closed since the last meeting.
 */
export async function buildAgenda(db: Executor, series: Series & { meeting: Meeting }, occurrence: Date, now: Date, m: Messages): Promise<string[]> {
  const { meeting } = series;
  const [following] = heldAfter(series, occurrence, 1);
  const since = heldBefore(series, occurrence) ?? meeting.created_at;
  const g = meeting.group_id;
  const quietSince = new Date(now.getTime() - QUIET_DAYS * 86_400_000);

  const [supervised, overdue, dueSoon, quiet, opened, closed] = await Promise.all([
    db.selectFrom('cases').select(['ref', 'title', 'supervisor_user_id']).where('group_id', '=', g).where('status', '<>', 'closed').where('supervisor_user_id', 'is not', null).orderBy('ref').execute(),
    overdueByOwner(db, g, now),
    db.selectFrom('action_items').select(['seq', 'text', 'due_at']).where('group_id', '=', g).where('state', '=', 'open').where('due_at', '>=', now).$if(following !== undefined, (q) => q.where('due_at', '<', following!)).orderBy('due_at').execute(),
    sql<{ ref: string; title: string }>`
      select c.ref, c.title from cases c
       where c.group_id = ${g} and c.status <> 'closed'
         and not exists (select 1 from audit_events e where e.case_id = c.id and e.recorded_at > ${quietSince})
       order by c.ref`.execute(db),
    // By the dates the ledger records (opened on, closed at), not by when they were typed.
    db.selectFrom('cases').select(['ref', 'title']).where('group_id', '=', g).where('opened_on', '>=', dateIn(since, meeting.time_zone)).orderBy('ref').execute(),
    db.selectFrom('cases').select(['ref', 'title', 'outcome']).where('group_id', '=', g).where('status', '=', 'closed').where('closed_at', '>=', since).where('closed_at', '<', now).orderBy('ref').execute(),
  ]);

  const sections: Section[] = [
    capped(m.agendaSupervised, supervised.map((c) => `${c.ref} ${escClip(c.title, 80)} · ${mention(c.supervisor_user_id!)}`), supervised.length),
    capped(m.agendaOverdue, overdue.map((o) => m.detail(o.user ? mention(o.user) : o.unit ? escClip(o.unit, 60) : '—', m.list(o.nos.map(formatItemNo)))), overdue.length),
    capped(following ? m.agendaDueBeforeNext : m.agendaDueSoon, dueSoon.map((i) => `${formatItemNo(i.seq)} ${escClip(i.text, 80)}`), dueSoon.length),
    capped(m.agendaQuiet(QUIET_DAYS), quiet.rows.map((c) => `${c.ref} ${escClip(c.title, 80)}`), quiet.rows.length),
    capped(m.agendaOpened, opened.map((c) => `${c.ref} ${escClip(c.title, 80)}`), opened.length),
    capped(m.agendaClosed, closed.map((c) => `${c.ref} ${escClip(c.title, 80)}${m.aside(m.outcomeName(c.outcome!))}`), closed.length),
  ];
  const lines: string[] = [];
  for (const s of sections) {
    if (s.lines.length === 0) continue;
    lines.push(`*${s.title}*`, ...s.lines.map((l) => `• ${l}`));
    if (s.more) lines.push(m.agendaMore(s.more));
  }
  return lines.length ? lines : [m.agendaEmpty];
}
