import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface GroupsTable {
  id: Generated<number>;
  team_id: string;
  channel_id: string;
  name: string;
  case_prefix: string;
  time_zone: string;
  currency: string;
  /** Language of the group's channel posts (readers' own replies follow their Slack locale). */
  locale: Generated<string>;
  announce_channel_id: string | null;
  parent_group_id: number | null;
  /** Meeting reminders: minutes before each meeting, largest first. */
  meeting_reminder_minutes: ColumnType<number[], number[] | undefined, number[]>;
  created_by: string;
  created_at: Generated<Date>;
}
export type Group = Selectable<GroupsTable>;
export type NewGroup = Insertable<GroupsTable>;
export type GroupUpdate = Updateable<GroupsTable>;

/** A request to link two groups, waiting for the other side's coordinator (migrations/20261203T0800_group_links.ts). */
export interface GroupLinkRequestsTable {
  child_group_id: number;
  parent_group_id: number;
  side: 'child' | 'parent';
  requested_by: string;
  requested_at: Generated<Date>;
}
