import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Group } from '../db/groups.table.js';
import { findGroupById } from '../db/groups.repo.js';
import { changesOfMany, findFeed, findFeedByHash, insertFeed, listMeetings, replaceFeed } from '../db/meetings.repo.js';
import type { Meeting, MeetingChange } from '../db/meetings.table.js';
import { Conflict } from '../errors.js';
import { record } from '../features/timeline.js';
import { authorize, mutate, type Mutation, type Reader, type Scope } from './scope.js';

/**
 * The calendar feed of a group's meetings: a URL with a secret token (32 random bytes,
 * base64url), one per group, shown to its readers and replaced by its coordinators.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Series a feed lists at most (a group has a handful). */
const FEED_MAX = 500;

const newToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token).digest();
const onGroup = (scope: Scope, actor: string) => ({ teamId: scope.group.team_id, groupId: scope.group.id, actor });

/**
 * The group's feed token for a reader, created on first use. Each showing is recorded: a
 * coordinator deciding whether to replace the link can see who was given it.
 */
export function feedTokenFor(ctx: Reader, scope: Scope): Promise<Mutation<string>> {
  authorize(scope, 'read');
  return mutate(ctx, async (trx) => {
    const token = newToken();
    const created = await insertFeed(trx, { group_id: scope.group.id, token, token_hash: hashOf(token), created_by: ctx.userId });
    const feed = (await findFeed(trx, scope.group.id))!;
    await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.feed_shown', before: null, after: { generation: feed.generation, created } });
    return feed.token;
  });
}

/** Which token a replacement would replace (0: none yet), for the confirmation (coordinators). */
export async function feedGeneration(ctx: Reader, scope: Scope): Promise<number> {
  authorize(scope, 'govern');
  return (await findFeed(ctx.db, scope.group.id))?.generation ?? 0;
}

/**
 * Replaces the group's token (coordinators): the old URL stops answering at once. Refused when
 * the token is no longer the one the confirmation named (a second press, another coordinator).
 */
export function replaceFeedToken(ctx: Reader, scope: Scope, generation: number): Promise<Mutation<string>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    const before = (await findFeed(trx, scope.group.id, true))?.generation ?? 0;
    if (before !== generation) throw new Conflict((m) => m.meetingFeedAlreadyReplaced);
    const token = newToken();
    const feed = await replaceFeed(trx, { group_id: scope.group.id, token, token_hash: hashOf(token), created_by: ctx.userId });
    await record(trx, onGroup(scope, ctx.userId), { kind: 'meeting.feed_reset', before: { generation: before }, after: { generation: feed.generation } });
    return token;
  });
}

/**
 * The group a feed token opens and its running series with their skips and moves; undefined
 * for anything that is not a current token. Looked up by the token's hash, then compared in
 * constant time.
 */
export async function calendarOfToken(db: Db, token: string): Promise<{ group: Group; series: { meeting: Meeting; changes: MeetingChange[] }[] } | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const feed = await findFeedByHash(db, hashOf(token));
  const given = Buffer.from(token);
  if (!feed || feed.token.length !== given.length || !timingSafeEqual(Buffer.from(feed.token), given)) return undefined;
  const group = await findGroupById(db, feed.group_id);
  if (!group) return undefined;
  const meetings = await listMeetings(db, group.id, FEED_MAX);
  const changes = await changesOfMany(db, meetings.map((m) => m.id));
  return { group, series: meetings.map((meeting) => ({ meeting, changes: changes.get(meeting.id) ?? [] })) };
}

/** The token's length, for the route to refuse anything longer before reading it. */
export const FEED_TOKEN_LENGTH = 43;
