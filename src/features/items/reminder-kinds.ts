import { sql } from 'kysely';
import type { ActionItem } from '../../db/action-items.table.js';
import { record } from '../timeline.js';
import type { Executor, Trx } from '../../db/database.js';
import { coordinatorsOf } from '../../db/members.repo.js';
import { REMINDER_KINDS } from '../../domain/reminder-plan.js';
import { outboxKind, type OutboxKind, type OutboxKinds } from '../../platform/outbox/kinds.js';
import { outboxColumns, splitOutbox } from '../../platform/outbox/outbox.repo.js';
import type { OutboxRow } from '../../platform/outbox/outbox.table.js';
import { itemNowMessage, ownershipMessage, reminderMessage } from '../../slack/blocks/reminder.js';
import type { RefreshInput } from '../../platform/outbox/kinds.js';
import { ITEM_SUBJECT, itemKind, ownershipKind, reminderKindOf } from './reminder-rows.js';

/** The actor of timeline entries the bot writes on its own (escalations, failed deliveries). */
export const SYSTEM_ACTOR = 'docket';

/** What a reminder needs at send time, read in the statement that locks the item and the row. */
interface ItemSubject {
  item: ActionItem;
  /** The row's person would still be chosen by ownerRecipients() now. */
  toRecipient: boolean;
  caseRef: string;
  supervisor: string | null;
  unitName: string | null;
  zone: string;
}

/**
 * The item locked FOR SHARE (an item change waits until the post is recorded) and the row FOR
 * UPDATE, in one statement. Postgres takes row locks in FROM order, item first: the order item
 * changes use, so the two cannot deadlock. Several rows are locked in their items' id order,
 * the order a change to many items takes them in (replanOwnedBy, cancelItemsOfCase): a batch
 * holding a later item while waiting for an earlier one could deadlock with such a change. `to_recipient`: the row's person would still be
 * chosen by ownerRecipients() now (a member of the group, and the owner, the owning unit's
 * contact, or with no contact, or one who has left the group, one of its members). Escalations go to the group channel and are
 * not checked.
 */
async function lockItemReminders(trx: Executor, ids: readonly number[]): Promise<Map<number, { row: OutboxRow; subject: ItemSubject }>> {
  const { rows } = await sql<Record<string, unknown>>`
    select i.*, ${outboxColumns('o')},
           c.ref as x_case_ref, c.supervisor_user_id as x_supervisor, u.name as x_unit_name, g.time_zone as x_zone,
           (o.kind = ${itemKind('escalation')} or exists (
              select 1 from members m
               where m.group_id = i.group_id and m.user_id = o.channel
                 and (i.owner_user_id = o.channel
                      or exists (select 1 from units u2
                                  where u2.id = i.owner_unit_id
                                    and (u2.contact_user_id = o.channel
                                         or (m.unit_id = u2.id
                                             and (u2.contact_user_id is null
                                                  or not exists (select 1 from members mc where mc.group_id = i.group_id and mc.user_id = u2.contact_user_id))))))
           )) as x_to_recipient
      from action_items i
      join outbox o on o.subject_type = ${ITEM_SUBJECT} and o.subject_id = i.id
      join cases c on c.id = i.case_id
      join groups g on g.id = i.group_id
      left join units u on u.id = i.owner_unit_id
     where o.id = any(${[...ids]}::bigint[])
     order by i.id, o.id
       for share of i for update of o`.execute(trx);
  const out = new Map<number, { row: OutboxRow; subject: ItemSubject }>();
  for (const found of rows) {
    const { outbox, rest } = splitOutbox(found);
    const { x_case_ref, x_supervisor, x_unit_name, x_zone, x_to_recipient, ...item } = rest;
    out.set(outbox.id, {
      row: outbox,
      subject: {
        item: item as unknown as ActionItem,
        toRecipient: x_to_recipient === true,
        caseRef: String(x_case_ref),
        supervisor: (x_supervisor as string | null) ?? null,
        unitName: (x_unit_name as string | null) ?? null,
        zone: String(x_zone),
      },
    });
  }
  return out;
}

async function lockItemReminder(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: ItemSubject } | undefined> {
  return (await lockItemReminders(trx, [id])).get(id);
}

/**
 * After the item changed, every message about it shows it as it is now (the engine calls this
 * under the item's lock, see src/platform/outbox/refresh.ts); those that had buttons keep them
 * while it is open.
 */
const itemNow = (buttons: boolean) => (_trx: Trx, s: ItemSubject, _row: OutboxRow, r: RefreshInput) =>
  itemNowMessage({ item: s.item, caseRef: s.caseRef, unitName: s.unitName, zone: s.zone, now: r.now, buttons }, r.m);

/** docket's own entries about a reminder go on the item's case. */
const bySystem = (row: OutboxRow, caseId: number) => ({ teamId: row.team_id, groupId: row.group_id, caseId, actor: SYSTEM_ACTOR });

const itemReminder: OutboxKind<ItemSubject> = {
  lock: lockItemReminder,
  lockMany: lockItemReminders,
  // Done or cancelled since it was planned, or its person no longer the one to hear it (left the
  // group, no longer the unit's contact): nothing is posted.
  wanted: (s) => s.item.state === 'open' && s.toRecipient,
  async render(trx: Trx, s, row, r) {
    const kind = reminderKindOf(row.kind);
    const escalation = kind === 'escalation' ? { supervisor: s.supervisor, coordinators: await coordinatorsOf(trx, s.item.group_id) } : {};
    return reminderMessage({ item: s.item, kind, caseRef: s.caseRef, unitName: s.unitName, zone: s.zone, now: r.now, fireAt: row.fire_at, late: r.late, possibleRepeat: r.possibleRepeat !== undefined, ...escalation }, r.m);
  },
  async sent(trx, s, row, d) {
    const { item } = s;
    if (d.possibleRepeat !== undefined) await record(trx, bySystem(row, item.case_id), { kind: 'action.reminder_unverified', before: null, after: { id: item.id, no: item.seq, reminder: row.id, to: row.channel, error: d.possibleRepeat } });
    if (reminderKindOf(row.kind) === 'escalation') await record(trx, bySystem(row, item.case_id), { kind: 'action.escalated', before: null, after: { id: item.id, no: item.seq, late: d.late } });
    return [];
  },
  async failed(trx, s, row, code) {
    await record(trx, bySystem(row, s.item.case_id), { kind: 'action.reminder_failed', before: null, after: { id: s.item.id, no: s.item.seq, reminder: row.id, to: row.channel, error: code } });
  },
  refresh: itemNow(true),
};

/** Who changed the owner: the payload of an ownership message. */
const changedBy = (row: OutboxRow) => String((row.payload as { by?: string } | null)?.by ?? SYSTEM_ACTOR);

/** "You have a new item": to each person who now hears it, while they still do. */
const assigned: OutboxKind<ItemSubject> = {
  lock: lockItemReminder,
  lockMany: lockItemReminders,
  wanted: (s) => s.item.state === 'open' && s.toRecipient,
  render: (_trx, s, row, r) => ownershipMessage({ item: s.item, kind: 'assigned', caseRef: s.caseRef, unitName: s.unitName, zone: s.zone, by: changedBy(row) }, r.m),
  refresh: itemNow(true),
};

/** "It is no longer yours": to whoever heard it before a reassign. */
const released: OutboxKind<ItemSubject> = {
  lock: lockItemReminder,
  lockMany: lockItemReminders,
  wanted: (s) => s.item.state === 'open' && !s.toRecipient,
  render: (_trx, s, row, r) => ownershipMessage({ item: s.item, kind: 'released', caseRef: s.caseRef, unitName: s.unitName, zone: s.zone, by: changedBy(row) }, r.m),
  refresh: itemNow(false),
};

/** Every reminder of an action item is delivered the same way; the message depends on the kind. */
export const itemReminderKinds: OutboxKinds = {
  ...Object.fromEntries(REMINDER_KINDS.map((k) => [itemKind(k), outboxKind(itemReminder)])),
  [ownershipKind('assigned')]: outboxKind(assigned),
  [ownershipKind('released')]: outboxKind(released),
};
