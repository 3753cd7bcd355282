import type { ActionItem } from '../db/action-items.table.js';
import type { Executor } from '../db/database.js';
import { findGroupById } from '../db/groups.repo.js';
import { findMember } from '../db/members.repo.js';
import { lockItem } from '../db/action-items.repo.js';
import type { Trx } from '../db/database.js';
import type { Group } from '../db/groups.table.js';
import type { ReminderSettings } from '../domain/reminder-settings.js';
import { reminderSettings } from '../db/reminder-settings.repo.js';
import { ITEM_SUBJECT, reminderKey, reminderKindOf, reminderRow } from '../features/items/reminder-rows.js';
import { cancelLiveOf, cancelRows, insertOutbox, liveOf, type LiveRow } from '../platform/outbox/outbox.repo.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import { findUnitById } from '../db/units.repo.js';
import { owedReminders, planReminders, type PlannedReminder } from '../domain/reminder-plan.js';
import type { ScheduleChange } from '../platform/outbox/scheduler.js';

/**
 * Who hears an item's reminders: its owner, or for a unit its named contact (while a member of
 * the group), else every member of the unit; and only people who are members of the group now (someone removed from
 * the group hears nothing more of its cases). Empty when nobody qualifies: escalation still
 * reaches the channel. Delivery checks the same rule again (lockForDelivery's toRecipient).
 */
export async function ownerRecipients(db: Executor, item: ActionItem): Promise<string[]> {
  const ifMember = async (userId: string) => ((await findMember(db, item.group_id, userId)) ? [userId] : []);
  if (item.owner_user_id) return ifMember(item.owner_user_id);
  const unit = item.owner_unit_id ? await findUnitById(db, item.owner_unit_id) : undefined;
  if (!unit) return [];
  if (unit.contact_user_id) {
    const contact = await ifMember(unit.contact_user_id);
    if (contact.length) return contact;
    // The contact has left the group: the unit's members hear its items instead of nobody.
  }
  const rows = await db.selectFrom('members').select('user_id').where('unit_id', '=', unit.id).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/** What planning needs of an item's group: its zone and channel, and its reminder settings. */
interface GroupPlanning {
  group: Group;
  settings: ReminderSettings;
}

async function groupPlanning(db: Executor, groupId: number): Promise<GroupPlanning> {
  return { group: (await findGroupById(db, groupId))!, settings: await reminderSettings(db, groupId) };
}

/** What replan found: the schedule's change, and (for an open item) who hears its reminders now. */
export interface Replanned extends ScheduleChange {
  recipients?: string[];
}

/**
 * Plans the item's reminders again from its current state, inside the caller's transaction
 * (which holds the item's lock); every change to an item ends here. A reminder already planned
 * that the item is still owed (same kind, moment and recipient) stays as it is, even one whose
 * time has come and that waits for its turn to be sent; any other is cancelled, so no stale
 * reminder survives a change; what is newly owed is added. The group's daily overdue reminder
 * (planned by its schedule) stays while the item is still overdue, unsnoozed and heard by that
 * person.
 */
export async function replan(trx: Executor, item: ActionItem, now: Date, known: Partial<GroupPlanning> = {}): Promise<Replanned> {
  const subject = { type: ITEM_SUBJECT, id: item.id };
  if (item.state !== 'open') return { add: [], remove: await cancelLiveOf(trx, subject) };
  const live = await liveOf(trx, subject);
  // The caller's copy of the group (read in this request) saves reading it again.
  const group = known.group ?? (await findGroupById(trx, item.group_id))!;
  const settings = known.settings ?? (await reminderSettings(trx, item.group_id));
  const input = { dueAt: item.due_at, zone: group.time_zone, settings, now, snoozedUntil: item.snoozed_until };
  const recipients = await ownerRecipients(trx, item);
  const audience = (p: PlannedReminder) => (p.audience === 'channel' ? [group.channel_id] : recipients);
  const owed = new Set(owedReminders(input).flatMap((p) => audience(p).map((to) => reminderKey(item.id, p.kind, p.moment, to))));
  const overdueStill = (r: LiveRow) =>
    reminderKindOf(r.kind) === 'overdue' && r.fire_at > item.due_at && !(item.snoozed_until && item.snoozed_until > r.fire_at) && recipients.includes(r.channel);
  const remove = await cancelRows(trx, live.filter((r) => !owed.has(r.dedupe_key) && !overdueStill(r)).map((r) => r.id));
  const rows = planReminders(input).flatMap((p) => audience(p).map((to) => reminderRow(item, p.kind, p.moment, to, p.fireAt)));
  return { add: await insertOutbox(trx, rows), remove, recipients };
}

/** Whose open items to plan again: everything in the group, or what these people or units own. */
export type Owners = 'all' | { userIds?: string[]; unitIds?: number[] };

/**
 * Plans again the open items of a group whose reminders a change affects: new reminder
 * settings (all of them), or a change of who hears them (a member removed or moved between
 * units, a unit's contact changed). Items are locked in id order, as item changes lock them.
 */
export async function replanOwnedBy(trx: Trx, groupId: number, now: Date, owners: Owners): Promise<ScheduleChange & { items: number }> {
  const change = { add: [] as Scheduled[], remove: [] as number[], items: 0 };
  if (owners !== 'all' && !owners.userIds?.length && !owners.unitIds?.length) return change;
  let q = trx.selectFrom('action_items').select('id').where('group_id', '=', groupId).where('state', '=', 'open');
  if (owners !== 'all') {
    const { userIds = [], unitIds = [] } = owners;
    q = q.where((eb) => eb.or([...(userIds.length ? [eb('owner_user_id', 'in', userIds)] : []), ...(unitIds.length ? [eb('owner_unit_id', 'in', unitIds)] : [])]));
  }
  const ids = await q.orderBy('id').execute();
  // One read of the group and its settings serves every item.
  const planning = ids.length ? await groupPlanning(trx, groupId) : undefined;
  for (const { id } of ids) {
    const c = await replan(trx, (await lockItem(trx, id))!, now, planning);
    change.add.push(...c.add);
    change.remove.push(...c.remove);
    change.items++;
  }
  return change;
}
