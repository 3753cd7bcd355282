import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * pending → claimed → sent, or → cancelled (its subject changed) or failed (Slack refused for
 * good). `claimed` with a lease in the past means a worker may have died mid-delivery: the
 * next attempt checks Slack for the message before posting again.
 */
export type OutboxState = 'pending' | 'claimed' | 'sent' | 'cancelled' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  /** Registered by a feature: `item.due`, `case.opened`, … */
  kind: string;
  /** What the message is about: `item` 12, `case` 3. Its kind locks it while posting. */
  subject_type: string;
  subject_id: number;
  /** Planning the same message twice keeps one row: unique among rows not cancelled. */
  dedupe_key: string;
  /** The kind's own data (who acted, an outcome): JSON, read back by the kind. */
  payload: ColumnType<unknown, string | null, string | null>;
  fire_at: Date;
  /** A user id (delivered as a direct message) or a channel id. */
  channel: string;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  claim_token: string | null;
  lease_until: Date | null;
  sent_at: Date | null;
  message_channel: string | null;
  message_ts: string | null;
  late: Generated<boolean>;
  error: string | null;
  created_at: Generated<Date>;
  /** Failed reads of Slack's history while recovering from a dead attempt: bounds the re-checks. */
  history_failures: Generated<number>;
  /** Posted without being able to check that a dead attempt had not posted it already. */
  possible_repeat: Generated<boolean>;
  /** Sent rows: changes to the subject since it was sent (see refresh.repo.ts). */
  subject_version: Generated<number>;
  /** Which of those changes the message in Slack shows: stale while behind subject_version. */
  shown_version: Generated<number>;
  /** When the message fell behind its subject (null when it shows it as it is). */
  stale_since: Date | null;
  /** Why Slack will never take an update of the message (deleted, channel archived…): left alone. */
  update_error: string | null;
}
export type OutboxRow = Selectable<OutboxTable>;
/** What planning decides; state, claim and delivery columns start empty. */
export type NewOutboxRow = Pick<Insertable<OutboxTable>, 'team_id' | 'group_id' | 'kind' | 'subject_type' | 'subject_id' | 'dedupe_key' | 'fire_at' | 'channel'> & { payload?: unknown };

/** What a delayed job is made from: the row, its time, and the channel it will be paced on. */
export interface Scheduled {
  id: number;
  fire_at: Date;
  channel: string;
}

/** A sent message to bring up to date with its subject's change number `version`: one job each. */
export interface Refresh {
  id: number;
  version: number;
}
