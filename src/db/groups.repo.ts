import type { Executor } from './database.js';
import type { Group, GroupUpdate, NewGroup } from './groups.table.js';

export function findGroupByChannel(db: Executor, teamId: string, channelId: string): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('team_id', '=', teamId).where('channel_id', '=', channelId).executeTakeFirst();
}

export function findGroupByPrefix(db: Executor, teamId: string, prefix: string): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('team_id', '=', teamId).where('case_prefix', '=', prefix).executeTakeFirst();
}

export function findGroupById(db: Executor, id: number): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertGroup(db: Executor, group: NewGroup): Promise<Group> {
  return db.insertInto('groups').values(group).returningAll().executeTakeFirstOrThrow();
}

export function updateGroup(db: Executor, id: number, patch: GroupUpdate): Promise<Group> {
  return db.updateTable('groups').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Locks the group row for the rest of the transaction (serialises membership changes). */
export function lockGroup(db: Executor, id: number): Promise<Group> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export function findGroupsOfUser(db: Executor, teamId: string, userId: string): Promise<Group[]> {
  return db
    .selectFrom('groups')
    .innerJoin('members', 'members.group_id', 'groups.id')
    .selectAll('groups')
    .where('groups.team_id', '=', teamId)
    .where('members.user_id', '=', userId)
    .orderBy('groups.id')
    .limit(2)
    .execute();
}
