import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.js';
import type { Meeting } from '../../db/meetings.table.js';
import { ruleInWords } from '../../domain/recurrence-words.js';
import { formatWithOffset } from '../../domain/time.js';
import type { Messages } from '../../i18n/index.js';
import { outboxKind, type OutboxKind, type OutboxKinds } from '../../platform/outbox/kinds.js';
import { insertOutbox, outboxColumns, splitOutbox } from '../../platform/outbox/outbox.repo.js';
import type { NewOutboxRow, OutboxRow, Scheduled } from '../../platform/outbox/outbox.table.js';
import type { ScheduleKind } from '../../platform/schedules/planner.js';
import { ensureSchedule } from '../../platform/schedules/schedules.repo.js';
import { esc } from '../../slack/mrkdwn.js';
import { spanWords } from '../../slack/blocks/action-item.js';
import { buildAgenda } from './agenda.js';
import { heldBetween, meetsAt, type Series } from './occurrences.js';
import { changesOf, changesOfMany } from '../../db/meetings.repo.js';
import type { Message } from '../../slack/kit.js';
import { nudgeRow, withMinutesButton } from './minutes.js';

/**
 * Reminders before each meeting, through the outbox: one row per occurrence and offset (its
 * dedupe key says which), planned a window ahead when a series is scheduled and topped up by
 * an hourly schedule, so a retry, a second worker or a restart never plans one twice. Whether
 * it is still wanted (series cancelled, skipped or moved, the offset dropped) is decided when it goes out, and so is
 * the agenda: it is read from the ledger at that moment.
 */
export const MEETING_SUBJECT = 'meeting';
export const MEETING_REMINDER = 'meeting.reminder';
export const MEETINGS_PLAN = 'meetings.plan';

/** How far ahead reminders are planned; the hourly schedule keeps the window filled. */
export const PLAN_AHEAD_MS = 8 * 86_400_000;

interface Payload {
  occurrence: string;
  offset: number;
}

interface MeetingSubject extends Series {
  meeting: Meeting;
  channel: string;
  /** The group's reminder offsets now (a reminder of an offset since dropped lapses). */
  offsets: number[];
}

/** Where a series' reminders go and when: the group's channel and its offsets. */
export interface ReminderTarget {
  channel_id: string;
  meeting_reminder_minutes: number[];
}

const payloadOf = (row: OutboxRow) => row.payload as Payload;

async function lockReminder(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: MeetingSubject } | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select mt.*, ${outboxColumns('o')}, g.channel_id as x_channel, g.meeting_reminder_minutes as x_offsets
      from meetings mt
      join outbox o on o.subject_type = ${MEETING_SUBJECT} and o.subject_id = mt.id
      join groups g on g.id = mt.group_id
     where o.id = ${id}
       for share of mt for update of o`.execute(trx);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox, rest } = splitOutbox(found);
  const { x_channel, x_offsets, ...meeting } = rest;
  const m = meeting as unknown as Meeting;
  return { row: outbox, subject: { meeting: m, changes: await changesOf(trx, m.id), channel: String(x_channel), offsets: x_offsets as number[] } };
}

/**
 * The reminder: the meeting, when (with its offset), where, in how long, and for the long one
 * the agenda; with the button that records its minutes once it has begun.
 */
export async function reminderMessage(db: Executor, series: Series & { meeting: Meeting }, occurrence: Date, withAgenda: boolean, now: Date, m: Messages): Promise<Message> {
  const { meeting } = series;
  const lang = m.locale === 'zh' ? 'zh' : 'en';
  const head = m.meetingReminder({
    no: meeting.seq,
    title: esc(meeting.title),
    when: formatWithOffset(occurrence, meeting.time_zone),
    zone: meeting.time_zone,
    minutes: meeting.duration_minutes,
    where: meeting.location ? esc(meeting.location) : null,
    rule: ruleInWords(meeting.rule, lang),
    startsIn: occurrence.getTime() - now.getTime() >= 60_000 ? spanWords(occurrence.getTime() - now.getTime(), m) : null,
  });
  const lines = withAgenda ? [head, `*${m.agendaTitle}*`, ...(await buildAgenda(db, series, occurrence, now, m))] : [head];
  return withMinutesButton(lines, meeting.id, occurrence, m);
}

const reminder: OutboxKind<MeetingSubject> = {
  lock: lockReminder,
  // Still a meeting of the series as it is now: not cancelled, skipped or moved away since.
  wanted: (s, row) => meetsAt(s, new Date(payloadOf(row).occurrence)) && s.offsets.includes(payloadOf(row).offset),
  // The earliest reminder carries the agenda; the later ones say only that it is coming.
  render: (trx, s, row, { m, now }) => reminderMessage(trx, s, new Date(payloadOf(row).occurrence), payloadOf(row).offset === Math.max(...s.offsets), now, m),
};

export const meetingOutboxKinds: OutboxKinds = { [MEETING_REMINDER]: outboxKind(reminder) };

/**
 * The reminder rows of one series for occurrences within the window (ones whose time has
 * passed are left out), and for each occurrence the convener's note should it get no minutes.
 */
export function reminderRows(series: Series & { meeting: Meeting }, target: ReminderTarget, now: Date): NewOutboxRow[] {
  const { meeting } = series;
  const rows: NewOutboxRow[] = [];
  // The meetings within the window whose reminders may still be due.
  for (const occurrence of heldBetween(series, now, new Date(now.getTime() + PLAN_AHEAD_MS))) {
    for (const offset of target.meeting_reminder_minutes) {
      const fireAt = new Date(occurrence.getTime() - offset * 60_000);
      if (fireAt < now) continue;
      rows.push({
        team_id: meeting.team_id,
        group_id: meeting.group_id,
        kind: MEETING_REMINDER,
        subject_type: MEETING_SUBJECT,
        subject_id: meeting.id,
        dedupe_key: `${MEETING_SUBJECT}:${meeting.id}:${occurrence.toISOString()}:${offset}`,
        fire_at: fireAt,
        channel: target.channel_id,
        payload: { occurrence: occurrence.toISOString(), offset } satisfies Payload,
      });
    }
    rows.push(nudgeRow(meeting, occurrence));
  }
  return rows;
}

const PLAN_SCHEDULE = { key: MEETINGS_PLAN, kind: MEETINGS_PLAN, team_id: null, group_id: null, rule: 'FREQ=HOURLY', start_local: '2026-01-01T00:00', time_zone: 'UTC' } as const;

/** Plans a new series' reminders in its own transaction, and makes sure the hourly top-up exists. */
export async function planNewSeries(trx: Trx, meeting: Meeting, target: ReminderTarget, now: Date): Promise<Scheduled[]> {
  await ensureSchedule(trx, PLAN_SCHEDULE, now);
  return insertOutbox(trx, reminderRows({ meeting, changes: [] }, target, now));
}

/** After a skip or a move: the reminders of the series as it now meets (the old ones lapse when due). */
export async function replanSeries(trx: Trx, meeting: Meeting, target: ReminderTarget, now: Date): Promise<Scheduled[]> {
  return insertOutbox(trx, reminderRows({ meeting, changes: await changesOf(trx, meeting.id) }, target, now));
}

/** Hourly: every running series' reminders within the window (already planned ones are kept, not doubled). */
export const planSchedule: ScheduleKind = {
  async run(trx, _s, { now }) {
    const series = await trx
      .selectFrom('meetings as mt')
      .innerJoin('groups as g', 'g.id', 'mt.group_id')
      .selectAll('mt')
      .select(['g.channel_id', 'g.meeting_reminder_minutes'])
      .where('mt.cancelled_at', 'is', null)
      .orderBy('mt.id')
      .execute();
    const byMeeting = await changesOfMany(trx, series.map((x) => x.id));
    const rows = series.flatMap(({ channel_id, meeting_reminder_minutes, ...meeting }) => reminderRows({ meeting, changes: byMeeting.get(meeting.id) ?? [] }, { channel_id, meeting_reminder_minutes }, now));
    const out: Scheduled[] = [];
    for (let i = 0; i < rows.length; i += 500) out.push(...(await insertOutbox(trx, rows.slice(i, i + 500))));
    return out;
  },
};
