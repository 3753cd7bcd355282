import type { Role } from '../domain/roles.js';
import type { Executor } from './database.js';
import type { Member } from './members.table.js';

export function findMember(db: Executor, groupId: number, userId: string): Promise<Member | undefined> {
  return db.selectFrom('members').selectAll().where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
}

export interface MemberWithUnit extends Member {
  unit_name: string | null;
}

export function listMembers(db: Executor, groupId: number): Promise<MemberWithUnit[]> {
  return db
    .selectFrom('members')
    .leftJoin('units', 'units.id', 'members.unit_id')
    .selectAll('members')
    .select('units.name as unit_name')
    .where('members.group_id', '=', groupId)
    .orderBy('members.role')
    .orderBy('members.created_at')
    .execute();
}

export function insertMember(
  db: Executor,
  m: { team_id: string; group_id: number; user_id: string; role: Role; unit_id: number | null },
): Promise<Member> {
  return db.insertInto('members').values(m).returningAll().executeTakeFirstOrThrow();
}

export function updateMember(db: Executor, id: number, patch: { role?: Role; unit_id?: number | null }): Promise<Member> {
  return db.updateTable('members').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteMember(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('members').where('id', '=', id).execute();
}

export async function countCoordinators(db: Executor, groupId: number): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId)
    .where('role', '=', 'coordinator')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearUnitFromMembers(db: Executor, unitId: number): Promise<void> {
  await db.updateTable('members').set({ unit_id: null }).where('unit_id', '=', unitId).execute();
}

/** The group's coordinators, longest-standing first (escalations call on them). */
export async function coordinatorsOf(db: Executor, groupId: number): Promise<string[]> {
  const rows = await db.selectFrom('members').select('user_id').where('group_id', '=', groupId).where('role', '=', 'coordinator').orderBy('created_at').execute();
  return rows.map((r) => r.user_id);
}
