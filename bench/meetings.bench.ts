/**
 * Meetings: expanding and planning standing series, and building an agenda from a large ledger.
 * - 1,000 weekly series in zones north and south of the equator, with and without DST, each
 *   expanded a year ahead as docket does (rule in floating time, placed with Temporal's
 *   'compatible'), against the floor of rrule-temporal expanding the same rules alone.
 * - Planning the reminders of those 1,000 series for the next 8 days (what the hourly top-up does).
 * - The agenda of a group with 2,000 open cases and 20,000 items, read from Postgres as the
 *   day-before reminder does, against a floor of one indexed read of the group's open cases.
 * Target (issue 10): agenda p99 under 200 ms.
 */
import os from 'node:os';
import { sql } from 'kysely';
import { RRuleTemporal } from 'rrule-temporal';
import type { Meeting } from '../src/db/meetings.table.js';
import { Temporal } from '../src/domain/time.js';
import { buildAgenda } from '../src/features/meetings/agenda.js';
import { heldAfter } from '../src/features/meetings/occurrences.js';
import { reminderRows } from '../src/features/meetings/reminders.js';
import { en } from '../src/i18n/en.js';
import { benchDatabase, flag } from './lib/env.js';
import { fmt, ratio, runLine, stats, writeSection, type Stats } from './lib/report.js';

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo', 'UTC'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

function series(i: number): Meeting {
  return {
    id: i + 1, team_id: 'TBENCH', group_id: 1, seq: i + 1, title: `Series ${i}`,
    rule: `FREQ=WEEKLY;BYDAY=${DAYS[i % DAYS.length]}`,
    start_local: `2026-01-0${5 + (i % 5)}T${String(8 + (i % 9)).padStart(2, '0')}:30`,
    time_zone: ZONES[i % ZONES.length]!, duration_minutes: 60, location: null, unit_ids: [], created_by: 'U', created_at: new Date(), cancelled_at: null,
  };
}

function timeEach<T>(items: T[], fn: (x: T) => unknown): { s: Stats; totalMs: number } {
  for (const x of items.slice(0, 20)) fn(x); // warm-up
  const samples: number[] = [];
  const t0 = performance.now();
  for (const x of items) {
    const t = performance.now();
    fn(x);
    samples.push(performance.now() - t);
  }
  return { s: stats(samples), totalMs: performance.now() - t0 };
}

async function timeAsync(n: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 5; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

export default async function run(flags: string[]): Promise<void> {
  const n = Number(flag(flags, 'series', '1000'));
  const agendaRuns = Number(flag(flags, 'agendas', '100'));
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const now = new Date('2026-12-03T02:00:00Z');
  const all = Array.from({ length: n }, (_, i) => series(i));

  // A year ahead: 53 weekly meetings each.
  const docket = timeEach(all, (m) => heldAfter({ meeting: m, changes: [] }, now, 53));
  const floorRules = all.map((m) => new RRuleTemporal({ rruleString: m.rule, dtstart: Temporal.PlainDateTime.from(m.start_local).toZonedDateTime('UTC') as never }));
  const until = Temporal.Instant.fromEpochMilliseconds(now.getTime() + 366 * 86_400_000).toZonedDateTimeISO('UTC');
  const from = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('UTC');
  const floor = timeEach(floorRules, (r) => r.between(from as never, until as never, true));
  const plan = timeEach(all, (m) => reminderRows({ meeting: m, changes: [] }, { channel_id: 'C1', meeting_reminder_minutes: [1440, 15] }, now));
  console.log(`expand ${n} series a year ahead: total ${fmt(docket.totalMs)} (floor ${fmt(floor.totalMs)}), per series p99 ${fmt(docket.s.p99)}; plan 8 days: total ${fmt(plan.totalMs)}`);

  // The agenda: a group with 2,000 open cases (200 supervised) and 20,000 items (a third overdue).
  const { db } = await benchDatabase();
  try {
    await sql`insert into groups (id, team_id, channel_id, name, case_prefix, time_zone, currency, created_by) values (1, 'TBENCH', 'C1', 'Bench', 'BN', 'Asia/Shanghai', 'CNY', 'U')`.execute(db);
    await sql`insert into units (team_id, group_id, name) select 'TBENCH', 1, 'Unit ' || g from generate_series(1, 8) g`.execute(db);
    await sql`
      insert into cases (team_id, group_id, ref, year, seq, title, opened_on, status, status_changed_at, supervisor_user_id, created_by)
      select 'TBENCH', 1, 'BN-2026-' || lpad(g::text, 4, '0'), 2026, g, 'Case ' || g, date '2026-01-01' + (g % 330), 'open', now(), case when g % 10 = 0 then 'USUP' end, 'U'
        from generate_series(1, 2000) g`.execute(db);
    await sql`
      insert into action_items (team_id, group_id, seq, case_id, text, owner_user_id, owner_unit_id, due_at, state, created_by)
      select 'TBENCH', 1, g, 1 + (g % 2000), 'Item ' || g, case when g % 2 = 0 then 'U' || (g % 40) end, case when g % 2 = 1 then (select min(id) from units) + (g % 8) end,
             ${now}::timestamptz + ((g % 60) - 20) * interval '1 day', 'open', 'U'
        from generate_series(1, 20000) g`.execute(db);
    await sql`
      insert into audit_events (team_id, group_id, case_id, actor_user_id, kind, after)
      select 'TBENCH', 1, 1 + (g % 2000), 'U', 'case.note', '{"text":"x"}'::jsonb from generate_series(1, 20000) g where g % 3 <> 0`.execute(db);
    await sql`analyze`.execute(db);
    const meeting = { ...series(0), time_zone: 'Asia/Shanghai', rule: 'FREQ=WEEKLY;BYDAY=TU', start_local: '2026-01-06T09:30' };
    const occurrence = heldAfter({ meeting, changes: [] }, now, 1)[0]!;
    let lines = 0;
    const agenda = await timeAsync(agendaRuns, async () => {
      lines = (await buildAgenda(db, { meeting, changes: [] }, occurrence, now, en)).length;
    });
    const read = await timeAsync(agendaRuns, () => db.selectFrom('cases').select(['ref', 'title']).where('group_id', '=', 1).where('status', '<>', 'closed').execute());
    console.log(`agenda (2,000 cases, 20,000 items): p50 ${fmt(agenda.p50)} p99 ${fmt(agenda.p99)} (${lines} lines); floor read of open cases p99 ${fmt(read.p99)}`);

    const met = agenda.p99 < 200;
    const body = [
      runLine(),
      `Load average (1 / 5 / 15 min) at the start: ${load} on ${os.cpus().length} cores. ${n} weekly series in ${ZONES.length} zones (both hemispheres, DST and none, +05:45, +12:45/+13:45).`,
      '',
      '| what | docket | floor | ratio |',
      '|---|---|---|---|',
      `| expand ${n} series a year ahead (53 meetings each), total | ${fmt(docket.totalMs)} | ${fmt(floor.totalMs)} (rrule-temporal alone, floating time) | ${ratio(docket.totalMs, floor.totalMs)} |`,
      `| one series a year ahead, p50 / p99 | ${fmt(docket.s.p50)} / ${fmt(docket.s.p99)} | ${fmt(floor.s.p50)} / ${fmt(floor.s.p99)} | ${ratio(docket.s.p99, floor.s.p99)} |`,
      `| plan reminders of ${n} series for 8 days (2 offsets), total | ${fmt(plan.totalMs)} | — | — |`,
      `| agenda, 2,000 open cases / 20,000 items (${agendaRuns} runs), p50 / p99 | ${fmt(agenda.p50)} / ${fmt(agenda.p99)} | ${fmt(read.p50)} / ${fmt(read.p99)} (one read of the open cases) | ${ratio(agenda.p99, read.p99)} |`,
      '',
      `Target: agenda p99 under 200 ms. ${met ? 'Met.' : 'NOT met.'} docket's expansion costs more than the floor because each wall time is placed in its zone (Temporal 'compatible') and a search starts a few hours early around DST changes; that is what keeps spring-forward meetings from being dropped.`,
    ].join('\n');
    await writeSection('Meetings: expansion, planning and the agenda', body);
  } finally {
    await db.destroy();
  }
}
