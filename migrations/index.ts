import type { Migration } from 'kysely';
import * as caseLedger from './20261128T0300_case_ledger.js';
import * as actionItems from './20261128T0400_action_items.js';
import * as requestRetention from './20261128T0500_request_retention.js';
import * as reminderRecovery from './20261129T0100_reminder_recovery.js';
import * as requestInbox from './20261202T0100_request_inbox.js';
import * as outbox from './20261202T0200_outbox.js';
import * as schedules from './20261202T0300_schedules.js';
import * as ledgerDates from './20261202T1400_ledger_dates.js';
import * as itemNumbers from './20261202T1500_item_numbers.js';
import * as meetings from './20261202T1600_meetings.js';
import * as messageRefresh from './20261203T0100_message_refresh.js';
import * as meetingChanges from './20261203T0200_meeting_changes.js';
import * as meetingReminderSettings from './20261203T0300_meeting_reminder_settings.js';
import * as meetingFeeds from './20261203T0400_meeting_feeds.js';
import * as meetingMinutes from './20261203T0500_meeting_minutes.js';
import * as statsIndexes from './20261203T0600_stats_indexes.js';
import * as weeklyDigest from './20261203T0700_weekly_digest.js';
import * as groupLinks from './20261203T0800_group_links.js';
import * as timelineRetention from './20261204T0100_timeline_retention.js';
import * as caseImports from './20261204T0600_case_imports.js';
import * as moneyDateIndex from './20261204T0700_money_date_index.js';
import * as installations from './20261204T0800_installations.js';

/**
 * Every migration, by name (names sort in the order they apply). Listed statically so that
 * tsx, vitest and compiled JavaScript all load them the same way; a test checks that each
 * file in this folder appears here.
 */
export const migrations: Record<string, Migration> = {
  '20261128T0300_case_ledger': caseLedger,
  '20261128T0400_action_items': actionItems,
  '20261128T0500_request_retention': requestRetention,
  '20261129T0100_reminder_recovery': reminderRecovery,
  '20261202T0100_request_inbox': requestInbox,
  '20261202T0200_outbox': outbox,
  '20261202T0300_schedules': schedules,
  '20261202T1400_ledger_dates': ledgerDates,
  '20261202T1500_item_numbers': itemNumbers,
  '20261202T1600_meetings': meetings,
  '20261203T0100_message_refresh': messageRefresh,
  '20261203T0200_meeting_changes': meetingChanges,
  '20261203T0300_meeting_reminder_settings': meetingReminderSettings,
  '20261203T0400_meeting_feeds': meetingFeeds,
  '20261203T0500_meeting_minutes': meetingMinutes,
  '20261203T0600_stats_indexes': statsIndexes,
  '20261203T0700_weekly_digest': weeklyDigest,
  '20261203T0800_group_links': groupLinks,
  '20261204T0100_timeline_retention': timelineRetention,
  '20261204T0600_case_imports': caseImports,
  '20261204T0700_money_date_index': moneyDateIndex,
  '20261204T0800_installations': installations,
};
