import { sql } from 'kysely';
import type { CaseRow, NewCase } from './cases.table.js';
import type { Executor } from './database.js';

/**
 * Takes the next sequence number for (group, year). The counter row is updated inside the
 * caller's transaction, so concurrent opens queue on its row lock and a rolled-back open gives
 * its number back: references have neither duplicates nor gaps.
 */
export async function nextCaseSeq(db: Executor, groupId: number, year: number): Promise<number> {
  const row = await db
    .insertInto('case_counters')
    .values({ group_id: groupId, year, last_seq: 1 })
    .onConflict((oc) => oc.columns(['group_id', 'year']).doUpdateSet({ last_seq: sql`case_counters.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export function insertCase(db: Executor, c: NewCase): Promise<CaseRow> {
  return db.insertInto('cases').values(c).returningAll().executeTakeFirstOrThrow();
}

export function findCaseByRef(db: Executor, teamId: string, ref: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('team_id', '=', teamId).where('ref', '=', ref).executeTakeFirst();
}

/** Reads the case and locks its row until the transaction ends, so before/after are exact. */
export function lockCaseByRef(db: Executor, teamId: string, ref: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('team_id', '=', teamId).where('ref', '=', ref).forUpdate().executeTakeFirst();
}

/**
 * Holds the case against change (a close, a reopen) for the rest of the transaction, while
 * letting other readers and other share-lockers through: adding items to one case at once is
 * not serialised, but an item is never added to a case that is closing.
 */
export function shareLockCase(db: Executor, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).forShare().executeTakeFirst();
}

export type CasePatch = Partial<Omit<CaseRow, 'id' | 'team_id' | 'group_id' | 'ref' | 'year' | 'seq' | 'created_at' | 'created_by'>>;

export function updateCase(db: Executor, id: number, patch: CasePatch): Promise<CaseRow> {
  return db
    .updateTable('cases')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface CaseFilter {
  state: 'open' | 'closed' | 'all';
  supervisedOnly: boolean;
  unitId?: number;
  limit: number;
}

export interface CaseListRow extends CaseRow {
  unit_name: string | null;
}

/** Supervised cases first (they lead agendas), then the oldest first. */
export function listCases(db: Executor, groupId: number, f: CaseFilter): Promise<CaseListRow[]> {
  let q = db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.origin_unit_id')
    .selectAll('cases')
    .select('units.name as unit_name')
    .where('cases.group_id', '=', groupId);
  if (f.state === 'open') q = q.where('cases.status', '<>', 'closed');
  if (f.state === 'closed') q = q.where('cases.status', '=', 'closed');
  if (f.supervisedOnly) q = q.where('cases.supervisor_user_id', 'is not', null);
  if (f.unitId !== undefined) q = q.where('cases.origin_unit_id', '=', f.unitId);
  return q
    .orderBy(sql`cases.supervisor_user_id is null`)
    .orderBy('cases.opened_on')
    .orderBy('cases.id')
    .limit(f.limit)
    .execute();
}

export async function countCases(db: Executor, groupId: number, f: Omit<CaseFilter, 'limit'>): Promise<number> {
  let q = db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId);
  if (f.state === 'open') q = q.where('status', '<>', 'closed');
  if (f.state === 'closed') q = q.where('status', '=', 'closed');
  if (f.supervisedOnly) q = q.where('supervisor_user_id', 'is not', null);
  if (f.unitId !== undefined) q = q.where('origin_unit_id', '=', f.unitId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
