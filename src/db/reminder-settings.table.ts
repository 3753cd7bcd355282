import type { Generated } from 'kysely';

export interface ReminderSettingsTable {
  group_id: number;
  before_minutes: number[];
  at_due: boolean;
  overdue_hour: number | null;
  escalate_after_days: number | null;
  updated_at: Generated<Date>;
}
