import type { Executor } from './database.js';
import type { Group, GroupUpdate, NewGroup } from './groups.table.js';
import type { Member } from './members.table.js';

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

/** Where to find a group: the channel bound to it, or its id. */
export type GroupKey = { teamId: string; channelId: string } | { id: number };

/** The group and the person's membership in it (undefined when they are not a member), in one query. */
export async function findGroupAndMember(db: Executor, key: GroupKey, userId: string): Promise<{ group: Group; member: Member | undefined } | undefined> {
  let q = db
    .selectFrom('groups')
    .leftJoin('members', (join) => join.onRef('members.group_id', '=', 'groups.id').on('members.user_id', '=', userId))
    .selectAll('groups')
    .select(['members.id as m_id', 'members.unit_id as m_unit_id', 'members.role as m_role', 'members.created_at as m_created_at']);
  q = 'id' in key ? q.where('groups.id', '=', key.id) : q.where('groups.team_id', '=', key.teamId).where('groups.channel_id', '=', key.channelId);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const { m_id, m_unit_id, m_role, m_created_at, ...group } = row;
  const member =
    m_id === null || m_role === null || m_created_at === null
      ? undefined
      : { id: m_id, team_id: group.team_id, group_id: group.id, user_id: userId, unit_id: m_unit_id, role: m_role, created_at: m_created_at };
  return { group, member };
}

/**
 * Every group the person is a member of, with their membership, by name: what they may read
 * from outside any group's channel (a direct message). At most `limit`.
 */
export async function findMembershipsOfUser(db: Executor, teamId: string, userId: string, limit: number): Promise<{ group: Group; member: Member }[]> {
  const rows = await db
    .selectFrom('groups')
    .innerJoin('members', 'members.group_id', 'groups.id')
    .selectAll('groups')
    .select(['members.id as m_id', 'members.unit_id as m_unit_id', 'members.role as m_role', 'members.created_at as m_created_at'])
    .where('groups.team_id', '=', teamId)
    .where('members.user_id', '=', userId)
    .orderBy('groups.name')
    .orderBy('groups.id')
    .limit(limit)
    .execute();
  return rows.map(({ m_id, m_unit_id, m_role, m_created_at, ...group }) => ({
    group,
    member: { id: m_id, team_id: group.team_id, group_id: group.id, user_id: userId, unit_id: m_unit_id, role: m_role, created_at: m_created_at },
  }));
}
