import type { MeetingChangesTable, MeetingCountersTable, MeetingFeedsTable, MeetingMinutesTable, MeetingsTable } from './meetings.table.js';
import type { Kysely, Transaction } from 'kysely';
import type { ActionItemsTable, ItemCountersTable } from './action-items.table.js';
import type { AuditEventsTable, ProcessedRequestsTable } from './audit.table.js';
import type { CaseCountersTable, CasesTable } from './cases.table.js';
import type { GroupLinkRequestsTable, GroupsTable } from './groups.table.js';
import type { RequestInboxTable } from './inbox.table.js';
import type { MembersTable } from './members.table.js';
import type { MoneyEntriesTable } from './money.table.js';
import type { OutboxTable } from '../platform/outbox/outbox.table.js';
import type { SchedulesTable } from '../platform/schedules/schedules.table.js';
import type { ReminderSettingsTable } from './reminder-settings.table.js';
import type { UnitsTable } from './units.table.js';
import type { CaseImportsTable } from './imports.table.js';
import type { InstallationsTable } from './installations.table.js';

export interface Database {
  groups: GroupsTable;
  group_link_requests: GroupLinkRequestsTable;
  units: UnitsTable;
  members: MembersTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  money_entries: MoneyEntriesTable;
  audit_events: AuditEventsTable;
  processed_requests: ProcessedRequestsTable;
  request_inbox: RequestInboxTable;
  action_items: ActionItemsTable;
  item_counters: ItemCountersTable;
  meetings: MeetingsTable;
  meeting_counters: MeetingCountersTable;
  meeting_changes: MeetingChangesTable;
  meeting_minutes: MeetingMinutesTable;
  meeting_feeds: MeetingFeedsTable;
  reminder_settings: ReminderSettingsTable;
  case_imports: CaseImportsTable;
  installations: InstallationsTable;
  outbox: OutboxTable;
  schedules: SchedulesTable;
}

export type Db = Kysely<Database>;
/** A connection or an open transaction: repository functions accept either. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Trx = Transaction<Database>;
