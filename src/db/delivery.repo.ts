import type { Executor } from './database.js';

/** What a reminder message needs besides the item itself: read once, outside the delivery lock. */
export interface DeliveryContext {
  groupId: number;
  groupChannel: string;
  zone: string;
  /** Language of the group's channel posts (escalations). */
  locale: string;
  caseRef: string;
  supervisor: string | null;
  unitName: string | null;
}

export async function deliveryContext(db: Executor, itemId: number): Promise<DeliveryContext | undefined> {
  const row = await db
    .selectFrom('action_items as i')
    .innerJoin('groups as g', 'g.id', 'i.group_id')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('units as u', 'u.id', 'i.owner_unit_id')
    .select(['g.id as group_id', 'g.channel_id', 'g.time_zone', 'g.locale', 'c.ref', 'c.supervisor_user_id', 'u.name as unit_name'])
    .where('i.id', '=', itemId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    groupId: row.group_id,
    groupChannel: row.channel_id,
    zone: row.time_zone,
    locale: row.locale,
    caseRef: row.ref,
    supervisor: row.supervisor_user_id,
    unitName: row.unit_name,
  };
}

export async function coordinatorsOf(db: Executor, groupId: number): Promise<string[]> {
  const rows = await db.selectFrom('members').select('user_id').where('group_id', '=', groupId).where('role', '=', 'coordinator').orderBy('created_at').execute();
  return rows.map((r) => r.user_id);
}
