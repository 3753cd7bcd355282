import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { CaseRow } from '../db/cases.table.js';
import { changesOf } from '../db/meetings.repo.js';
import type { Meeting, MeetingMinutes } from '../db/meetings.table.js';
import { dateIn, formatWithOffset } from '../domain/time.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { minutesPostRow } from '../features/meetings/minutes.js';
import { heldBefore, heldBetween, meetsAt, type Series } from '../features/meetings/occurrences.js';
import { record } from '../features/timeline.js';
import { insertOutbox } from '../platform/outbox/outbox.repo.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import { addItemIn, type NewItem, type Owner } from './actions.service.js';
import { authorize, mutate, scopeForGroupId, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';

/** What the minutes form gave, already read and checked field by field (commands/meeting.minutes.ts). */
export interface MinutesInput {
  occurrence: Date;
  unitIds: number[];
  guests: string[];
  notes: string | null;
  caseNotes: { case: CaseRow; note: string }[];
  /** Each becomes an action item on its case, in the transaction that records the minutes. */
  decisions: { case: CaseRow; text: string; owner: Owner; dueAt: Date }[];
}

/**
 * A series as held, whether or not it was cancelled since: a meeting held before the series
 * was cancelled still gets its minutes.
 */
const asHeld = (meeting: Meeting, changes: Series['changes']): Series => ({ meeting: { ...meeting, cancelled_at: null }, changes });

/** A meeting named by a button or a form (its series' row id), for a member of its group. */
export async function meetingForMinutes(ctx: Reader, meetingId: number): Promise<{ scope: Scope; meeting: Meeting }> {
  const meeting = await ctx.db.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('team_id', '=', ctx.teamId).executeTakeFirst();
  if (!meeting) throw new NotFound((m) => m.staleButton);
  const scope = await scopeForGroupId(ctx.db, meeting.group_id, ctx.userId);
  authorize(scope, 'write');
  return { scope, meeting };
}

/**
 * Which meeting of the series minutes are for: the one held on `date` (local, in the series'
 * zone), or without a date the last one to have begun.
 */
export async function occurrenceForMinutes(db: Executor, meeting: Meeting, date: string | null, now: Date): Promise<Date> {
  const series = asHeld(meeting, await changesOf(db, meeting.id));
  if (date === null) {
    const last = heldBefore(series, new Date(now.getTime() + 1));
    if (!last || (meeting.cancelled_at && last >= meeting.cancelled_at)) throw new InvalidInput((m) => m.minutesNoMeetingYet(meeting.seq));
    return last;
  }
  // Every instant of a local date lies within a day and a half either side of its UTC midnight.
  const mid = Date.parse(`${date}T00:00:00Z`);
  const held = heldBetween(series, new Date(mid - 36 * 3_600_000), new Date(mid + 60 * 3_600_000)).filter((at) => dateIn(at, meeting.time_zone) === date);
  if (held.length === 0) throw new InvalidInput((m) => m.minutesNotHeld(meeting.seq, date));
  return held[0]!;
}

/** Minutes may be recorded for a meeting held (not skipped, moved away or cancelled before), begun, and not yet recorded. */
async function assertMayRecord(db: Executor, meeting: Meeting, occurrence: Date, now: Date): Promise<void> {
  const series = asHeld(meeting, await changesOf(db, meeting.id));
  const when = formatWithOffset(occurrence, meeting.time_zone);
  if (!meetsAt(series, occurrence) || (meeting.cancelled_at && occurrence >= meeting.cancelled_at)) {
    throw new InvalidInput((m) => m.minutesNotHeld(meeting.seq, dateIn(occurrence, meeting.time_zone)));
  }
  if (occurrence > now) throw new InvalidInput((m) => m.minutesNotStarted(meeting.seq, when));
  const existing = await db.selectFrom('meeting_minutes').select('recorded_by').where('meeting_id', '=', meeting.id).where('occurrence', '=', occurrence).executeTakeFirst();
  if (existing) throw new Conflict((m) => m.minutesAlreadyRecorded(meeting.seq, when, existing.recorded_by));
}

/** The checks a form runs before it closes (again under the lock when the minutes are recorded). */
export function checkMayRecord(ctx: ServiceContext, meeting: Meeting, occurrence: Date): Promise<void> {
  return assertMayRecord(ctx.db, meeting, occurrence, ctx.clock.now());
}

/**
 * Records the minutes of one meeting (members who may write), all or nothing in one
 * transaction: the minutes, each decision as an action item on its case (with its reminders),
 * an entry on the group's timeline and one on each case discussed, and the post to the group
 * channel. The series is locked, so two people recording the same meeting cannot both succeed.
 */
export function recordMinutes(ctx: ServiceContext, scope: Scope, meetingId: number, input: MinutesInput): Promise<Mutation<{ minutes: MeetingMinutes; meeting: Meeting; items: NewItem[]; outbox: Scheduled[] }>> {
  authorize(scope, 'write');
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    const meeting = await trx.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('group_id', '=', scope.group.id).forUpdate().executeTakeFirst();
    if (!meeting) throw new NotFound((m) => m.staleButton);
    await assertMayRecord(trx, meeting, input.occurrence, now);
    const items: NewItem[] = [];
    for (const d of input.decisions) items.push(await addItemIn(trx, ctx, scope, { case: d.case, text: d.text, owner: d.owner, dueAt: d.dueAt }));
    const caseNotes = input.caseNotes.map((n) => ({ case_id: n.case.id, note: n.note }));
    const minutes = await trx
      .insertInto('meeting_minutes')
      .values({
        team_id: ctx.teamId,
        group_id: scope.group.id,
        meeting_id: meeting.id,
        occurrence: input.occurrence,
        unit_ids: input.unitIds,
        guests: input.guests,
        notes: input.notes,
        case_notes: JSON.stringify(caseNotes),
        item_ids: items.map((i) => i.item.id),
        recorded_by: ctx.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const entry = { minutes_id: minutes.id, no: meeting.seq, title: meeting.title, occurrence: input.occurrence.toISOString() };
    const place = { teamId: ctx.teamId, groupId: scope.group.id, actor: ctx.userId, at: input.occurrence };
    await record(trx, place, { kind: 'meeting.minutes', before: null, after: { ...entry, items: items.map((i) => i.item.seq) } });
    // Each case discussed, or decided on, hears of it on its own timeline.
    const cases = new Map<number, string | null>(caseNotes.map((n) => [n.case_id, n.note]));
    for (const i of items) if (!cases.has(i.item.case_id)) cases.set(i.item.case_id, null);
    for (const [caseId, note] of cases) {
      const decided = items.filter((i) => i.item.case_id === caseId).map((i) => i.item.seq);
      await record(trx, { ...place, caseId }, { kind: 'meeting.discussed', before: null, after: { ...entry, note, items: decided } });
    }
    const posted = await insertOutbox(trx, [minutesPostRow(minutes, scope.group.channel_id, now)]);
    return { minutes, meeting, items, outbox: [...posted, ...items.flatMap((i) => i.change.add)] };
  });
}

/**
 * The cases the minutes form offers: open ones, supervised first, then those with overdue
 * items, then by reference (the agenda's order); the first few get a notes field each.
 */
export function casesForMinutes(ctx: Reader, scope: Scope, now: Date, limit: number): Promise<CaseRow[]> {
  authorize(scope, 'read');
  return ctx.db
    .selectFrom('cases as c')
    .selectAll('c')
    .where('c.group_id', '=', scope.group.id)
    .where('c.status', '<>', 'closed')
    .orderBy(sql`c.supervisor_user_id is null`)
    .orderBy(sql`not exists (select 1 from action_items i where i.case_id = c.id and i.state = 'open' and i.due_at < ${now})`)
    .orderBy('c.ref')
    .limit(limit)
    .execute();
}

/** The group's cases among `ids` or `refs` (what a submitted form names: anything else is not the group's). */
export async function casesNamed(ctx: Reader, scope: Scope, by: { ids?: number[]; refs?: string[] }): Promise<CaseRow[]> {
  const ids = by.ids ?? [];
  const refs = by.refs ?? [];
  if (ids.length === 0 && refs.length === 0) return [];
  return ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('group_id', '=', scope.group.id)
    .where((eb) => eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(refs.length ? [eb('ref', 'in', refs)] : [])]))
    .execute();
}
