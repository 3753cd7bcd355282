import type { Trx } from '../db/database.js';
import { cancelMeeting, changesOf, changesOfMany, findMeeting, insertChange, insertMeeting, listMeetings, lockMeeting, nextMeetingSeq } from '../db/meetings.repo.js';
import type { Meeting, MeetingChange } from '../db/meetings.table.js';
import { record } from '../features/timeline.js';
import { Conflict, NotFound } from '../errors.js';
import { authorize, mutate, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';
import { planNewSeries, replanSeries } from '../features/meetings/reminders.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';

/** A series as the person scheduling it gave it, already checked (commands/meeting.ts). */
export interface MeetingInput {
  title: string;
  rule: string;
  /** `YYYY-MM-DDTHH:MM`, local to `zone`. */
  startLocal: string;
  zone: string;
  durationMinutes: number;
  location: string | null;
  unitIds: number[];
}

const onGroup = (scope: Scope, actor: string) => ({ teamId: scope.group.team_id, groupId: scope.group.id, actor });

/**
 * Schedules a series (coordinators), numbered in the group, with its audit entry and its first
 * reminders planned, in one transaction; the reminders are enqueued by the caller once it commits.
 */
export function scheduleMeeting(ctx: ServiceContext, scope: Scope, input: MeetingInput): Promise<Mutation<{ meeting: Meeting; outbox: Scheduled[] }>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    const seq = await nextMeetingSeq(trx, scope.group.id);
    const meeting = await insertMeeting(trx, {
      team_id: ctx.teamId,
      group_id: scope.group.id,
      seq,
      title: input.title,
      rule: input.rule,
      start_local: input.startLocal,
      time_zone: input.zone,
      duration_minutes: input.durationMinutes,
      location: input.location,
      unit_ids: input.unitIds,
      created_by: ctx.userId,
      cancelled_at: null,
    });
    await record(trx, onGroup(scope, ctx.userId), {
      kind: 'meeting.scheduled',
      before: null,
      after: { id: meeting.id, no: seq, title: input.title, rule: input.rule, start_local: input.startLocal, time_zone: input.zone, duration_minutes: input.durationMinutes },
    });
    return { meeting, outbox: await planNewSeries(trx, meeting, scope.group, now) };
  });
}

/** The group's meeting #no, for a reader of the group. */
export async function meetingOf(ctx: Reader, scope: Scope, no: number): Promise<Meeting> {
  authorize(scope, 'read');
  const meeting = await findMeeting(ctx.db, scope.group.id, no);
  if (!meeting) throw new NotFound((m) => m.meetingNotFound(no));
  return meeting;
}

export function meetingsOf(ctx: Reader, scope: Scope, limit: number): Promise<Meeting[]> {
  authorize(scope, 'read');
  return listMeetings(ctx.db, scope.group.id, limit);
}

/**
 * Runs `fn` on the group's series #no, locked and still running, in one transaction with the
 * request key (coordinators): the shape of every change to an existing series.
 */
function changeSeries<T>(ctx: Reader, scope: Scope, no: number, fn: (trx: Trx, meeting: Meeting) => Promise<T>): Promise<Mutation<T>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    const meeting = await lockMeeting(trx, scope.group.id, no);
    if (!meeting) throw new NotFound((m) => m.meetingNotFound(no));
    if (meeting.cancelled_at) throw new Conflict((m) => m.meetingAlreadyCancelled(no));
    return fn(trx, meeting);
  });
}

/** Cancels the whole series (coordinators); its row and timeline stay. */
export function cancelSeries(ctx: Reader, scope: Scope, no: number, now: Date): Promise<Mutation<Meeting>> {
  return changeSeries(ctx, scope, no, async (trx, meeting) => {
    const cancelled = await cancelMeeting(trx, meeting.id, now);
    await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.cancelled', before: { id: meeting.id, no, title: meeting.title }, after: null });
    return cancelled;
  });
}

/** Series with their skipped and moved occurrences (what "when does it meet" needs), in one read. */
export async function seriesOf(ctx: Reader, meetings: readonly Meeting[]): Promise<{ meeting: Meeting; changes: MeetingChange[] }[]> {
  const changes = await changesOfMany(ctx.db, meetings.map((m) => m.id));
  return meetings.map((meeting) => ({ meeting, changes: changes.get(meeting.id) ?? [] }));
}

/**
 * Skips one occurrence (`movedTo` null) or moves it (coordinators): recorded against the
 * occurrence as the rule gives it, with an audit entry; the series' reminders are planned
 * again for how it now meets, in the same transaction (the old ones lapse when due).
 */
export function changeOccurrence(ctx: ServiceContext, scope: Scope, no: number, occurrence: Date, movedTo: Date | null): Promise<Mutation<{ meeting: Meeting; outbox: Scheduled[] }>> {
  const now = ctx.clock.now();
  return changeSeries(ctx, scope, no, async (trx, meeting) => {
    const existing = (await changesOf(trx, meeting.id)).find((c) => c.occurrence.getTime() === occurrence.getTime());
    if (existing) throw new Conflict((m) => m.occurrenceAlreadyChanged(no));
    await insertChange(trx, { meeting_id: meeting.id, occurrence, moved_to: movedTo, created_by: ctx.userId });
    const change = { id: meeting.id, no, occurrence: occurrence.toISOString() };
    if (movedTo) await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.moved', before: change, after: { moved_to: movedTo.toISOString() } });
    else await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.skipped', before: change, after: null });
    return { meeting, outbox: await replanSeries(trx, meeting, scope.group, now) };
  });
}

/**
 * The group's meeting reminders (coordinators): minutes before each meeting. Every running
 * series is planned again in the same transaction; reminders of a dropped offset lapse when due.
 */
export function setMeetingReminders(ctx: ServiceContext, scope: Scope, minutes: number[]): Promise<Mutation<{ before: number[]; outbox: Scheduled[] }>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    const group = await trx.selectFrom('groups').selectAll().where('id', '=', scope.group.id).forUpdate().executeTakeFirstOrThrow();
    const before = group.meeting_reminder_minutes;
    const updated = await trx.updateTable('groups').set({ meeting_reminder_minutes: minutes }).where('id', '=', group.id).returningAll().executeTakeFirstOrThrow();
    await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.settings', before: { reminders: before }, after: { reminders: minutes } });
    const outbox: Scheduled[] = [];
    for (const meeting of await listMeetings(trx, group.id, 1000)) outbox.push(...(await replanSeries(trx, meeting, updated, now)));
    return { before, outbox };
  });
}

const EDITED_FIELDS = ['title', 'rule', 'start_local', 'time_zone', 'duration_minutes', 'location', 'unit_ids'] as const;

/**
 * Changes a series (coordinators): the fields that differ, with an audit entry of before and
 * after; its reminders are planned again for how it now meets (old ones lapse when due).
 */
export function editMeeting(ctx: ServiceContext, scope: Scope, no: number, input: MeetingInput): Promise<Mutation<{ meeting: Meeting; outbox: Scheduled[] }>> {
  const now = ctx.clock.now();
  return changeSeries(ctx, scope, no, async (trx, meeting) => {
    const next = { title: input.title, rule: input.rule, start_local: input.startLocal, time_zone: input.zone, duration_minutes: input.durationMinutes, location: input.location, unit_ids: input.unitIds };
    const changed = EDITED_FIELDS.filter((f) => JSON.stringify(meeting[f]) !== JSON.stringify(next[f]));
    if (changed.length === 0) return { meeting, outbox: [] };
    const updated = await trx.updateTable('meetings').set(next).where('id', '=', meeting.id).returningAll().executeTakeFirstOrThrow();
    await record(trx, onGroup(scope, ctx.userId), {
      kind: 'meeting.edited',
      before: { id: meeting.id, no, ...Object.fromEntries(changed.map((f) => [f, meeting[f]])) },
      after: Object.fromEntries(changed.map((f) => [f, next[f]])),
    });
    return { meeting: updated, outbox: await replanSeries(trx, updated, scope.group, now) };
  });
}
