import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Meeting, MeetingChange, MeetingMinutes } from '../../db/meetings.table.js';
import { formatItemNo } from '../../domain/action-item.js';
import { formatInstant, formatWithOffset } from '../../domain/time.js';
import type { Messages } from '../../i18n/index.js';
import { outboxKind, type OutboxKind, type OutboxKinds } from '../../platform/outbox/kinds.js';
import { outboxColumns, splitOutbox } from '../../platform/outbox/outbox.repo.js';
import type { NewOutboxRow, OutboxRow } from '../../platform/outbox/outbox.table.js';
import { plain, type KnownBlock, type Message } from '../../slack/kit.js';
import { esc, escClip, mention } from '../../slack/mrkdwn.js';
import { sectionBlocks } from '../../slack/blocks/case-card.js';
import { changesOf } from '../../db/meetings.repo.js';
import { meetsAt } from './occurrences.js';
import { MEETING_SUBJECT } from './reminders.js';

/**
 * Minutes as the channel reads them, posted through the outbox once they are recorded; and the
 * note to a meeting's convener when, two days after it ended, it still has none.
 */
export const MINUTES_SUBJECT = 'meeting_minutes';
export const MINUTES_POSTED = 'meeting.minutes';
export const MINUTES_NUDGE = 'meeting.minutes.nudge';
/** The button on meeting reminders and on the nudge: opens the minutes form for that meeting. */
export const RECORD_MINUTES = 'meeting.minutes.record';

/** A meeting without minutes this long after it ended is mentioned to its convener. */
export const NUDGE_AFTER_MS = 2 * 86_400_000;

/** A meeting named by a button: the series' row id and the instant it is held (ids only; checked when pressed). */
export const minutesButtonValue = (meetingId: number, occurrence: Date) => `${meetingId}:${occurrence.getTime()}`;

export function readMinutesButton(value: string): { meetingId: number; occurrence: Date } | undefined {
  const m = /^([1-9]\d{0,14}):(\d{1,15})$/.exec(value);
  if (!m) return undefined;
  return { meetingId: Number(m[1]), occurrence: new Date(Number(m[2])) };
}

/** A message whose text is `lines`, cut into sections Slack accepts, with the "Record minutes" button below. */
export function withMinutesButton(lines: string[], meetingId: number, occurrence: Date, m: Messages): Message {
  const blocks: KnownBlock[] = sectionBlocks(lines);
  blocks.push({ type: 'actions', block_id: 'minutes', elements: [{ type: 'button', action_id: RECORD_MINUTES, text: plain(m.buttonRecordMinutes), value: minutesButtonValue(meetingId, occurrence) }] });
  return { text: lines.join('\n'), blocks };
}

interface MinutesSubject {
  minutes: MeetingMinutes;
  meeting: Meeting;
}

/** What the minutes text needs beyond the row: names of units, cases and the items decided. */
async function minutesDetails(db: Executor, minutes: MeetingMinutes) {
  const caseIds = minutes.case_notes.map((n) => n.case_id);
  const [units, cases, items] = await Promise.all([
    minutes.unit_ids.length ? db.selectFrom('units').select(['id', 'name']).where('id', 'in', minutes.unit_ids).execute() : [],
    caseIds.length ? db.selectFrom('cases').select(['id', 'ref', 'title']).where('id', 'in', caseIds).execute() : [],
    minutes.item_ids.length
      ? db
          .selectFrom('action_items as i')
          .innerJoin('cases as c', 'c.id', 'i.case_id')
          .leftJoin('units as u', 'u.id', 'i.owner_unit_id')
          .select(['i.id', 'i.seq', 'i.text', 'i.owner_user_id', 'u.name as unit', 'i.due_at', 'c.ref'])
          .where('i.id', 'in', minutes.item_ids)
          .execute()
      : [],
  ]);
  return { units, cases, items };
}

/** The minutes as posted: who was there, the notes, each case's notes, the decisions as items. */
export async function minutesText(db: Executor, s: MinutesSubject, m: Messages): Promise<string[]> {
  const { minutes, meeting } = s;
  const zone = meeting.time_zone;
  const { units, cases, items } = await minutesDetails(db, minutes);
  const lines = [m.minutesTitle(meeting.seq, esc(meeting.title), formatWithOffset(minutes.occurrence, zone))];
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const present = minutes.unit_ids.flatMap((id) => (unitName.has(id) ? [esc(unitName.get(id)!)] : []));
  if (present.length) lines.push(`*${m.minutesPresent}:* ${m.list(present)}`);
  if (minutes.guests.length) lines.push(`*${m.minutesGuests}:* ${m.list(minutes.guests.map(esc))}`);
  const before = lines.length;
  if (minutes.notes) lines.push(`*${m.minutesNotes}*`, esc(minutes.notes));
  const caseOf = new Map(cases.map((c) => [c.id, c]));
  const discussed = minutes.case_notes.filter((n) => n.note && caseOf.has(n.case_id));
  if (discussed.length) {
    lines.push(`*${m.minutesCases}*`);
    for (const n of discussed) lines.push(`• *${caseOf.get(n.case_id)!.ref}* ${escClip(caseOf.get(n.case_id)!.title, 80)}: ${esc(n.note)}`);
  }
  if (items.length) {
    lines.push(`*${m.minutesDecisions}*`);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const id of minutes.item_ids) {
      const i = byId.get(id);
      if (!i) continue;
      const owner = i.owner_user_id ? mention(i.owner_user_id) : esc(i.unit ?? '—');
      lines.push(`• ${m.minutesDecisionLine(formatItemNo(i.seq), esc(i.text), owner, formatInstant(i.due_at, zone), i.ref)}`);
    }
  }
  if (lines.length === before) lines.push(m.minutesNoneRecorded);
  lines.push(m.minutesRecordedBy(mention(minutes.recorded_by)));
  return lines;
}

async function lockPosted(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: MinutesSubject } | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select mm.*, ${outboxColumns('o')}, to_jsonb(mt) as x_meeting
      from meeting_minutes mm
      join outbox o on o.subject_type = ${MINUTES_SUBJECT} and o.subject_id = mm.id
      join meetings mt on mt.id = mm.meeting_id
     where o.id = ${id}
       for share of mm for update of o`.execute(trx);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox, rest } = splitOutbox(found);
  const { x_meeting, ...minutes } = rest;
  return { row: outbox, subject: { minutes: minutes as unknown as MeetingMinutes, meeting: meetingFromJson(x_meeting as Record<string, unknown>) } };
}

/** A meetings row read back through to_jsonb: its instants are strings there. */
function meetingFromJson(j: Record<string, unknown>): Meeting {
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)));
  return { ...(j as unknown as Meeting), created_at: at(j.created_at)!, cancelled_at: at(j.cancelled_at) };
}

const posted: OutboxKind<MinutesSubject> = {
  lock: lockPosted,
  wanted: () => true,
  render: async (trx, s, _row, { m }) => {
    const lines = await minutesText(trx, s, m);
    const blocks: KnownBlock[] = sectionBlocks(lines);
    return { text: lines.join('\n'), blocks };
  },
};

interface NudgeSubject {
  meeting: Meeting;
  changes: MeetingChange[];
  recorded: boolean;
}

const occurrenceOf = (row: OutboxRow) => new Date((row.payload as { occurrence: string }).occurrence);

async function lockNudge(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: NudgeSubject } | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select mt.*, ${outboxColumns('o')}
      from meetings mt
      join outbox o on o.subject_type = ${MEETING_SUBJECT} and o.subject_id = mt.id
     where o.id = ${id}
       for share of mt for update of o`.execute(trx);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox, rest } = splitOutbox(found);
  const meeting = rest as unknown as Meeting;
  const recorded = await trx.selectFrom('meeting_minutes').select('id').where('meeting_id', '=', meeting.id).where('occurrence', '=', occurrenceOf(outbox)).executeTakeFirst();
  return { row: outbox, subject: { meeting, changes: await changesOf(trx, meeting.id), recorded: recorded !== undefined } };
}

const nudge: OutboxKind<NudgeSubject> = {
  lock: lockNudge,
  // Still held there (not skipped, moved or cancelled since) and still without minutes.
  wanted: (s, row) => !s.recorded && meetsAt(s, occurrenceOf(row)),
  render: (_trx, s, row, { m }) => {
    const at = occurrenceOf(row);
    return withMinutesButton([m.minutesNudge(s.meeting.seq, esc(s.meeting.title), formatWithOffset(at, s.meeting.time_zone))], s.meeting.id, at, m);
  },
};

export const minutesOutboxKinds: OutboxKinds = { [MINUTES_POSTED]: outboxKind(posted), [MINUTES_NUDGE]: outboxKind(nudge) };

/** The minutes' post to the group channel, due now. */
export function minutesPostRow(minutes: MeetingMinutes, channel: string, now: Date): NewOutboxRow {
  return {
    team_id: minutes.team_id,
    group_id: minutes.group_id,
    kind: MINUTES_POSTED,
    subject_type: MINUTES_SUBJECT,
    subject_id: minutes.id,
    dedupe_key: `${MINUTES_SUBJECT}:${minutes.id}`,
    fire_at: now,
    channel,
    payload: {},
  };
}

/** The note to the convener (who scheduled the series) two days after the meeting ends, should it have no minutes by then. */
export function nudgeRow(meeting: Meeting, occurrence: Date): NewOutboxRow {
  return {
    team_id: meeting.team_id,
    group_id: meeting.group_id,
    kind: MINUTES_NUDGE,
    subject_type: MEETING_SUBJECT,
    subject_id: meeting.id,
    dedupe_key: `${MEETING_SUBJECT}:${meeting.id}:${occurrence.toISOString()}:minutes`,
    fire_at: new Date(occurrence.getTime() + meeting.duration_minutes * 60_000 + NUDGE_AFTER_MS),
    channel: meeting.created_by,
    payload: { occurrence: occurrence.toISOString() },
  };
}
