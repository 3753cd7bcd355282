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

/** A case's notes in the minutes. */
export interface CaseNote {
  case_id: number;
  note: string;
}

/** The minutes of one meeting (migrations/20261203T0500_meeting_minutes.ts). */
export interface MeetingMinutesTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  meeting_id: number;
  /** The instant the meeting was held (a moved one's new time). */
  occurrence: Date;
  unit_ids: ColumnType<number[], number[] | undefined, number[]>;
  /** People from outside the group, as named ("Li Wei, Hunan police"). */
  guests: ColumnType<string[], string[] | undefined, string[]>;
  notes: string | null;
  case_notes: ColumnType<CaseNote[], string, string>;
  /** The action items its decisions became. */
  item_ids: ColumnType<number[], number[] | undefined, number[]>;
  recorded_by: string;
  recorded_at: Generated<Date>;
}
export type MeetingMinutes = Selectable<MeetingMinutesTable>;
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
