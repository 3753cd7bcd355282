import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface MeetingCountersTable {
  group_id: number;
  last_seq: number;
}

/** A standing meeting series (migrations/20261202T1600_meetings.ts). */
export interface MeetingsTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  /** Its number in the group: #1 is the group's first meeting. */
  seq: number;
  title: string;
  /** RRULE body, without `RRULE:`. */
  rule: string;
  /** Local wall-clock time of the first occurrence, `YYYY-MM-DDTHH:MM`. */
  start_local: string;
  time_zone: string;
  duration_minutes: number;
  location: string | null;
  unit_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_by: string;
  created_at: Generated<Date>;
  cancelled_at: Date | null;
}
export type Meeting = Selectable<MeetingsTable>;
export type NewMeeting = Insertable<MeetingsTable>;

/** One occurrence skipped (moved_to null) or moved. */
export interface MeetingChangesTable {
  id: Generated<number>;
  meeting_id: number;
  /** The occurrence as the rule gives it. */
  occurrence: Date;
  moved_to: Date | null;
  created_by: string;
  created_at: Generated<Date>;
}
export type MeetingChange = Selectable<MeetingChangesTable>;

/** A group's calendar feed: the secret of its URL (migrations/20261203T0400_meeting_feeds.ts). */
export interface MeetingFeedsTable {
  group_id: number;
  token: string;
  /** SHA-256 of the token: what a request is looked up by. */
  token_hash: Buffer;
  /** 1 for the first token, one more for each replacement. */
  generation: number;
  created_by: string;
  created_at: Generated<Date>;
}
export type MeetingFeed = Selectable<MeetingFeedsTable>;
