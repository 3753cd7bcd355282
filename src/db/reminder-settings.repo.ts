import { sql } from 'kysely';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../domain/reminder-settings.js';
import type { Executor } from './database.js';

/** A group's reminder settings (its own row, or the defaults). */
export async function reminderSettings(db: Executor, groupId: number): Promise<ReminderSettings> {
  const row = await db.selectFrom('reminder_settings').selectAll().where('group_id', '=', groupId).executeTakeFirst();
  if (!row) return { ...DEFAULT_REMINDER_SETTINGS, beforeMinutes: [...DEFAULT_REMINDER_SETTINGS.beforeMinutes] };
  return { beforeMinutes: row.before_minutes, atDue: row.at_due, overdueHour: row.overdue_hour, escalateAfterDays: row.escalate_after_days };
}

export async function saveReminderSettings(db: Executor, groupId: number, s: ReminderSettings): Promise<void> {
  const values = { before_minutes: s.beforeMinutes, at_due: s.atDue, overdue_hour: s.overdueHour, escalate_after_days: s.escalateAfterDays };
  await db
    .insertInto('reminder_settings')
    .values({ group_id: groupId, ...values })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();
}
