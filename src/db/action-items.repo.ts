import { sql } from 'kysely';
import type { ActionItem, ActionItemPatch, NewActionItem } from './action-items.table.js';
import type { Executor } from './database.js';

/**
 * Takes the group's next item number. The counter row is updated inside the caller's
 * transaction, as case references are numbered (nextCaseSeq): concurrent adds queue on its row
 * lock and a rolled-back add gives its number back, so numbers have neither duplicates nor gaps.
 */
export async function nextItemSeq(db: Executor, groupId: number): Promise<number> {
  const row = await db
    .insertInto('item_counters')
    .values({ group_id: groupId, last_seq: 1 })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ last_seq: sql`item_counters.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export function insertItem(db: Executor, item: NewActionItem): Promise<ActionItem> {
  return db.insertInto('action_items').values(item).returningAll().executeTakeFirstOrThrow();
}

export function findItem(db: Executor, id: number): Promise<ActionItem | undefined> {
  return db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The group's item with this number (#3 of the group). */
export function findItemBySeq(db: Executor, groupId: number, seq: number): Promise<ActionItem | undefined> {
  return db.selectFrom('action_items').selectAll().where('group_id', '=', groupId).where('seq', '=', seq).executeTakeFirst();
}

/** Locks the item for the rest of the transaction: changes to one item (and its reminders) are serialised. */
export function lockItem(db: Executor, id: number): Promise<ActionItem | undefined> {
  return db.selectFrom('action_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateItem(db: Executor, id: number, patch: ActionItemPatch): Promise<ActionItem> {
  return db
    .updateTable('action_items')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ItemListRow extends ActionItem {
  case_ref: string;
  unit_name: string | null;
}

export interface ItemFilter {
  groupId?: number;
  /** Items of every group in `groupIds` (App Home spans a person's groups). */
  groupIds?: number[];
  caseId?: number;
  /** Items owned by this person, or by one of `unitIds` (their units). */
  owner?: { userId: string; unitIds: number[] };
  unitId?: number;
  /** Only items due before this instant (overdue as of then). */
  dueBefore?: Date;
  states?: ('open' | 'done' | 'cancelled')[];
  limit: number;
}

/** Items with their case reference and owning unit's name, soonest due first. */
export function listItems(db: Executor, f: ItemFilter): Promise<ItemListRow[]> {
  let q = db
    .selectFrom('action_items as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('units as u', 'u.id', 'i.owner_unit_id')
    .selectAll('i')
    .select(['c.ref as case_ref', 'u.name as unit_name'])
    .where('i.state', 'in', f.states ?? ['open']);
  if (f.groupId !== undefined) q = q.where('i.group_id', '=', f.groupId);
  if (f.groupIds !== undefined) q = f.groupIds.length ? q.where('i.group_id', 'in', f.groupIds) : q.where(sql<boolean>`false`);
  if (f.caseId !== undefined) q = q.where('i.case_id', '=', f.caseId);
  if (f.unitId !== undefined) q = q.where('i.owner_unit_id', '=', f.unitId);
  if (f.dueBefore) q = q.where('i.due_at', '<=', f.dueBefore);
  const owner = f.owner;
  if (owner) {
    q = q.where((eb) =>
      eb.or([eb('i.owner_user_id', '=', owner.userId), ...(owner.unitIds.length ? [eb('i.owner_unit_id', 'in', owner.unitIds)] : [])]),
    );
  }
  return q.orderBy('i.due_at').orderBy('i.id').limit(f.limit).execute();
}

/** One item with its case reference and unit name (for its card). */
export function findItemRow(db: Executor, id: number): Promise<ItemListRow | undefined> {
  return db
    .selectFrom('action_items as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('units as u', 'u.id', 'i.owner_unit_id')
    .selectAll('i')
    .select(['c.ref as case_ref', 'u.name as unit_name'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** The group's open items past due at `now`, their numbers grouped by owner (a person or a unit), owners by name. */
export async function overdueByOwner(db: Executor, groupId: number, now: Date): Promise<{ unit: string | null; user: string | null; nos: number[] }[]> {
  const { rows } = await sql<{ unit: string | null; user: string | null; nos: number[] }>`
    select u.name as unit, i.owner_user_id as "user", array_agg(i.seq order by i.seq) as nos
      from action_items i left join units u on u.id = i.owner_unit_id
     where i.group_id = ${groupId} and i.state = 'open' and i.due_at < ${now}
     group by u.name, i.owner_user_id
     order by u.name nulls first, i.owner_user_id`.execute(db);
  return rows;
}
