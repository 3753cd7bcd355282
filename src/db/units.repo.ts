import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Unit } from './units.table.js';

export function listUnits(db: Executor, groupId: number): Promise<Unit[]> {
  return db.selectFrom('units').selectAll().where('group_id', '=', groupId).where('archived_at', 'is', null).orderBy('name').execute();
}

/** Unit names match case-insensitively ("police" finds "Police"). */
export function findUnitByName(db: Executor, groupId: number, name: string): Promise<Unit | undefined> {
  return db
    .selectFrom('units')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('archived_at', 'is', null)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function findUnitById(db: Executor, id: number): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUnit(db: Executor, unit: { team_id: string; group_id: number; name: string; contact_user_id: string | null }): Promise<Unit> {
  return db.insertInto('units').values(unit).returningAll().executeTakeFirstOrThrow();
}

export function updateUnit(db: Executor, id: number, patch: { name?: string; contact_user_id?: string | null; archived_at?: Date }): Promise<Unit> {
  return db.updateTable('units').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
