import type { Db, Executor, Trx } from '../db/database.js';
import type { Group } from '../db/groups.table.js';
import { findGroupAndMember, findMembershipsOfUser } from '../db/groups.repo.js';
import type { Member } from '../db/members.table.js';
import { claimRequest, requestHandled } from '../db/audit.repo.js';
import { transaction } from '../db/transaction.js';
import type { Clock } from '../domain/clock.js';
import { can, type Ability } from '../domain/roles.js';
import type { OutboxScheduler } from '../platform/outbox/scheduler.js';
import { Conflict, Forbidden, InvalidInput } from '../errors.js';

/** Who is acting, and the Slack request that carries the action (for deduplication). */
export interface Actor {
  teamId: string;
  userId: string;
  /** e.g. `cmd:<trigger_id>`, `view:<view_id>`; absent when repeating the action is harmless. */
  requestKey?: string;
}

/** Who acts, reading: enough to find what they may see. */
export interface Reader extends Actor {
  db: Db;
}

/**
 * What a use case runs with, for one request or one job: who acts (with the request's key),
 * storage, time, and the outbox's schedule to update after a commit. A handler's context is one.
 */
export interface ServiceContext extends Reader {
  clock: Clock;
  outbox: OutboxScheduler;
}

export interface Scope {
  group: Group;
  member: Member | undefined;
}

/** The group bound to this channel and the reader's membership in it; undefined in any other channel (a direct message, #random). */
export function scopeOfChannel({ db, teamId, userId }: Reader, channelId: string): Promise<Scope | undefined> {
  return findGroupAndMember(db, { teamId, channelId }, userId);
}

/**
 * The group bound to the channel the command came from. In any other channel, an explanation
 * of how to proceed: a command in #random or in a direct message must not quietly act on a
 * group elsewhere (what may be read from there, across the reader's groups: scopesOfReader).
 */
export async function scopeForChannel(reader: Reader, channelId: string): Promise<Scope> {
  const here = await scopeOfChannel(reader, channelId);
  if (here) return here;
  throw new InvalidInput((m) => m.notAGroup);
}

/**
 * Every group the reader is a member of (at most `limit`, by name), as scopes to read in:
 * what a listing asked for outside any group's channel covers.
 */
export function scopesOfReader({ db, teamId, userId }: Reader, limit: number): Promise<Scope[]> {
  return findMembershipsOfUser(db, teamId, userId, limit);
}

/** The group with this id (it exists: the caller read the id from a row that refers to it) and the person's membership, in one query. */
export async function scopeForGroupId(db: Executor, groupId: number, userId: string): Promise<Scope> {
  return (await findGroupAndMember(db, { id: groupId }, userId))!;
}

export function authorize(scope: Scope, ability: Ability): Member {
  const { member, group } = scope;
  if (!member) throw new Forbidden((m) => m.notMember(group.name));
  if (!can(member.role, ability)) throw new Forbidden((m) => (ability === 'govern' ? m.coordinatorsOnly : m.readOnly));
  return member;
}

/** Whether a change already claimed this request key (an earlier run of the request made it). */
export function alreadyCarriedOut(db: Db, teamId: string, key: string): Promise<boolean> {
  return requestHandled(db, teamId, key);
}

/** Whether this event (by its id) is seen for the first time: Slack retries events it thinks went unanswered. */
export function firstDelivery(db: Db, teamId: string, key: string): Promise<boolean> {
  return claimRequest(db, teamId, key);
}

class DuplicateRequest extends Error {}

const UNIQUE_VIOLATION = '23505';

export type Mutation<T> = { duplicate: true } | { duplicate: false; value: T };

/**
 * Runs a change in one transaction. When the actor carries a request key, the key is claimed
 * first in the same transaction: a retried or double-submitted request finds it taken and
 * changes nothing. Either everything (the change, its audit entry, the key) commits, or nothing.
 */
export async function mutate<T>(ctx: Reader, fn: (trx: Trx) => Promise<T>): Promise<Mutation<T>> {
  try {
    const value = await transaction(ctx.db, async (trx) => {
      if (ctx.requestKey && !(await claimRequest(trx, ctx.teamId, ctx.requestKey))) throw new DuplicateRequest();
      return fn(trx);
    });
    return { duplicate: false, value };
  } catch (err) {
    if (err instanceof DuplicateRequest) return { duplicate: true };
    // A unique index caught two people doing the same thing at once (two setups of one
    // channel): the loser is told so, instead of getting a generic error.
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new Conflict((m) => m.concurrentChange);
    throw err;
  }
}
