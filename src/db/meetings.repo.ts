import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Meeting, MeetingChange, MeetingFeed, NewMeeting } from './meetings.table.js';

/** The group's next meeting number, taken in the adding transaction (concurrent adds queue on the counter row). */
export async function nextMeetingSeq(db: Executor, groupId: number): Promise<number> {
  const row = await db
    .insertInto('meeting_counters')
    .values({ group_id: groupId, last_seq: 1 })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ last_seq: sql`meeting_counters.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export function insertMeeting(db: Executor, m: NewMeeting): Promise<Meeting> {
  return db.insertInto('meetings').values(m).returningAll().executeTakeFirstOrThrow();
}

export function findMeeting(db: Executor, groupId: number, seq: number): Promise<Meeting | undefined> {
  return db.selectFrom('meetings').selectAll().where('group_id', '=', groupId).where('seq', '=', seq).executeTakeFirst();
}

export function lockMeeting(db: Executor, groupId: number, seq: number): Promise<Meeting | undefined> {
  return db.selectFrom('meetings').selectAll().where('group_id', '=', groupId).where('seq', '=', seq).forUpdate().executeTakeFirst();
}

/** The group's series still running, by number; at most `limit`. */
export function listMeetings(db: Executor, groupId: number, limit: number): Promise<Meeting[]> {
  return db.selectFrom('meetings').selectAll().where('group_id', '=', groupId).where('cancelled_at', 'is', null).orderBy('seq').limit(limit).execute();
}

export function cancelMeeting(db: Executor, id: number, at: Date): Promise<Meeting> {
  return db.updateTable('meetings').set({ cancelled_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The skipped and moved occurrences of a series. */
export function changesOf(db: Executor, meetingId: number): Promise<MeetingChange[]> {
  return db.selectFrom('meeting_changes').selectAll().where('meeting_id', '=', meetingId).orderBy('occurrence').execute();
}

export function insertChange(db: Executor, c: { meeting_id: number; occurrence: Date; moved_to: Date | null; created_by: string }): Promise<MeetingChange> {
  return db.insertInto('meeting_changes').values(c).returningAll().executeTakeFirstOrThrow();
}

/** The skipped and moved occurrences of several series at once, by series (one query for a list). */
export async function changesOfMany(db: Executor, meetingIds: readonly number[]): Promise<Map<number, MeetingChange[]>> {
  const byMeeting = new Map<number, MeetingChange[]>(meetingIds.map((id) => [id, []]));
  if (meetingIds.length === 0) return byMeeting;
  const rows = await db.selectFrom('meeting_changes').selectAll().where('meeting_id', 'in', meetingIds).orderBy('occurrence').execute();
  for (const c of rows) byMeeting.get(c.meeting_id)?.push(c);
  return byMeeting;
}

/** The group's calendar feed, locked for a change when `lock` is set. */
export function findFeed(db: Executor, groupId: number, lock = false): Promise<MeetingFeed | undefined> {
  const q = db.selectFrom('meeting_feeds').selectAll().where('group_id', '=', groupId);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function findFeedByHash(db: Executor, tokenHash: Buffer): Promise<MeetingFeed | undefined> {
  return db.selectFrom('meeting_feeds').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Gives the group its first feed token; a group that already has one (a concurrent first use) keeps it. */
export async function insertFeed(db: Executor, f: { group_id: number; token: string; token_hash: Buffer; created_by: string }): Promise<boolean> {
  const row = await db.insertInto('meeting_feeds').values({ ...f, generation: 1 }).onConflict((oc) => oc.column('group_id').doNothing()).returning('group_id').executeTakeFirst();
  return row !== undefined;
}

/** Replaces the group's feed token (the old URL stops working), or gives it its first. */
export function replaceFeed(db: Executor, f: { group_id: number; token: string; token_hash: Buffer; created_by: string }): Promise<MeetingFeed> {
  return db
    .insertInto('meeting_feeds')
    .values({ ...f, generation: 1 })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ token: f.token, token_hash: f.token_hash, created_by: f.created_by, created_at: sql`now()`, generation: sql`meeting_feeds.generation + 1` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}
