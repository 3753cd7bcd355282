import type { Generated, Insertable, Selectable } from 'kysely';
import type { ReminderKind } from '../domain/reminder-plan.js';

/**
 * pending → claimed → sent, or → cancelled (the item changed) or failed (Slack refused for
 * good). `claimed` with a lease in the past means a worker may have died mid-delivery: the
 * next attempt checks Slack for the message before posting again.
 */
export type ReminderState = 'pending' | 'claimed' | 'sent' | 'cancelled' | 'failed';

export interface RemindersTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  item_id: number;
  kind: ReminderKind;
  fire_at: Date;
  /** A user id (delivered as a direct message) or a channel id. */
  channel: string;
  state: Generated<ReminderState>;
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
}
export type Reminder = Selectable<RemindersTable>;
/** What planning decides; state, claim and delivery columns start empty. */
export type NewReminder = Pick<Insertable<RemindersTable>, 'team_id' | 'group_id' | 'item_id' | 'kind' | 'fire_at' | 'channel'>;

export interface ReminderSettingsTable {
  group_id: number;
  before_minutes: number[];
  at_due: boolean;
  overdue_hour: number | null;
  escalate_after_days: number | null;
  updated_at: Generated<Date>;
}
