import type { Generated, Insertable, Selectable } from 'kysely';

export interface SchedulesTable {
  id: Generated<number>;
  key: string;
  /** Registered by a feature: what an occurrence does ('housekeeping', 'items.overdue'). */
  kind: string;
  team_id: string | null;
  group_id: number | null;
  /** RFC 5545 RRULE body; with start_local and time_zone, see src/domain/recurrence.ts. */
  rule: string;
  start_local: string;
  time_zone: string;
  enabled: Generated<boolean>;
  /** Set while the workspace has uninstalled docket: not run, whatever `enabled` says; a re-install clears it. */
  suspended_at: Generated<Date | null>;
  next_run_at: Date | null;
  last_occurrence: Date | null;
  last_run_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ScheduleRow = Selectable<SchedulesTable>;
export type NewSchedule = Pick<Insertable<SchedulesTable>, 'key' | 'kind' | 'team_id' | 'group_id' | 'rule' | 'start_local' | 'time_zone' | 'enabled'>;
