import { sql } from 'kysely';
import type { ActionItem } from '../../db/action-items.table.js';
import type { Executor, Trx } from '../../db/database.js';
import type { Group } from '../../db/groups.table.js';
import { reminderSettings } from '../../db/reminder-settings.repo.js';
import type { ReminderSettings } from '../../domain/reminder-settings.js';
import { insertOutbox } from '../../platform/outbox/outbox.repo.js';
import type { NewOutboxRow } from '../../platform/outbox/outbox.table.js';
import type { ScheduleKind } from '../../platform/schedules/planner.js';
import { upsertSchedule } from '../../platform/schedules/schedules.repo.js';
import { ownerRecipients } from '../../services/reminder-planner.js';
import { reminderRow } from './reminder-rows.js';

/**
 * The daily reminder while an item is overdue is one schedule per group: every day at the
 * hour its reminder settings name (9 by default), in its zone. Each occurrence reminds the
 * owner of every open item due on an earlier day (an item due at 08:59 is not nagged about at
 * 09:00 the same morning) that is not snoozed past that moment. After downtime, one occurrence
 * runs, and its reminders go out late, once: not one per missed day.
 */
export const OVERDUE_SCHEDULE = 'items.overdue';
export const overdueScheduleKey = (groupId: number) => `${OVERDUE_SCHEDULE}:${groupId}`;

/** Brings the group's overdue schedule in line with its zone and settings (creating it if need be). */
export async function syncOverdueSchedule(trx: Executor, group: Pick<Group, 'id' | 'team_id' | 'time_zone'>, now: Date, settings?: ReminderSettings): Promise<void> {
  const s = settings ?? (await reminderSettings(trx, group.id));
  const hour = s.overdueHour ?? 9;
  await upsertSchedule(
    trx,
    {
      key: overdueScheduleKey(group.id),
      kind: OVERDUE_SCHEDULE,
      team_id: group.team_id,
      group_id: group.id,
      rule: 'FREQ=DAILY',
      start_local: `2026-01-01T${String(hour).padStart(2, '0')}:00`,
      time_zone: group.time_zone,
      enabled: s.overdueHour !== null,
    },
    now,
  );
}

/** Open items of the group due before the local day of `at` began, not snoozed past `at`. */
async function overdueItems(trx: Executor, groupId: number, zone: string, at: Date): Promise<ActionItem[]> {
  return trx
    .selectFrom('action_items')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('state', '=', 'open')
    .where(sql<boolean>`due_at < (date_trunc('day', ${at}::timestamptz at time zone ${zone}) at time zone ${zone})`)
    .where((eb) => eb.or([eb('snoozed_until', 'is', null), eb('snoozed_until', '<=', at)]))
    .orderBy('id')
    .execute();
}

/** The reminders one occurrence at `at` plans: one per overdue item and person to hear it. */
export async function overdueReminders(db: Executor, groupId: number, zone: string, at: Date): Promise<NewOutboxRow[]> {
  const rows: NewOutboxRow[] = [];
  for (const item of await overdueItems(db, groupId, zone, at)) {
    for (const to of await ownerRecipients(db, item)) rows.push(reminderRow(item, 'overdue', at, to));
  }
  return rows;
}

export const overdueSchedule: ScheduleKind = {
  async run(trx: Trx, s, { occurrence }) {
    if (s.group_id === null) return [];
    return insertOutbox(trx, await overdueReminders(trx, s.group_id, s.time_zone, occurrence));
  },
};
