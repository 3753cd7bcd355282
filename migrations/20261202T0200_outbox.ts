import { sql, type Kysely } from 'kysely';

/**
 * One outbox for every message docket posts. The reminders table becomes it: each row says
 * what kind of message it is (`item.due`, `case.opened`, …), what it is about (a subject type
 * and id: an action item, a case), a dedupe key that makes planning the same message twice
 * impossible, and the kind's own data (`payload`). The delivery columns (state, claim, lease,
 * message ts, late, history checks) are unchanged, and so are the ids: jobs and messages
 * posted before this migration still match their rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table reminders rename to outbox`.execute(db);
  await sql`alter sequence reminders_id_seq rename to outbox_id_seq`.execute(db);
  await sql`alter table outbox rename constraint reminders_pkey to outbox_pkey`.execute(db);
  await sql`alter table outbox rename constraint reminders_sent_has_ts to outbox_sent_has_ts`.execute(db);
  await sql`alter table outbox rename constraint reminders_state_check to outbox_state_check`.execute(db);
  await sql`alter table outbox rename constraint reminders_group_id_fkey to outbox_group_id_fkey`.execute(db);
  // Kinds are registered in code now; a subject may be any table's row.
  await sql`alter table outbox drop constraint reminders_kind_check`.execute(db);
  await sql`alter table outbox drop constraint reminders_item_id_fkey`.execute(db);
  await sql`alter table outbox rename column item_id to subject_id`.execute(db);
  await sql`alter table outbox add column subject_type text`.execute(db);
  await sql`alter table outbox add column dedupe_key text`.execute(db);
  await sql`alter table outbox add column payload jsonb`.execute(db);
  await sql`update outbox set subject_type = 'item', kind = 'item.' || kind,
            dedupe_key = 'item:' || subject_id || ':' || kind || ':' || channel || ':' || (extract(epoch from fire_at) * 1000)::bigint`.execute(db);
  await sql`alter table outbox alter column subject_type set not null, alter column dedupe_key set not null`.execute(db);
  await sql`drop index reminders_once_uq`.execute(db);
  // Planning the same message twice (two paths racing to plan tomorrow's reminder) keeps one row.
  await sql`create unique index outbox_once_uq on outbox (dedupe_key) where state <> 'cancelled'`.execute(db);
  await sql`alter index reminders_live_idx rename to outbox_live_idx`.execute(db);
  await sql`drop index reminders_item_live_idx`.execute(db);
  // What a change to a subject cancels.
  await sql`create index outbox_subject_live_idx on outbox (subject_type, subject_id) where state in ('pending', 'claimed')`.execute(db);
  // Each channel's messages go out in order: the next one due is found by channel.
  await sql`create index outbox_channel_live_idx on outbox (channel, fire_at, id) where state in ('pending', 'claimed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_channel_live_idx`.execute(db);
  await sql`drop index outbox_subject_live_idx`.execute(db);
  await sql`alter index outbox_live_idx rename to reminders_live_idx`.execute(db);
  await sql`drop index outbox_once_uq`.execute(db);
  await sql`delete from outbox where subject_type <> 'item'`.execute(db);
  await sql`update outbox set kind = substr(kind, 6)`.execute(db);
  await sql`alter table outbox drop column payload, drop column dedupe_key, drop column subject_type`.execute(db);
  await sql`alter table outbox rename column subject_id to item_id`.execute(db);
  await sql`create unique index reminders_once_uq on outbox (item_id, kind, fire_at, channel) where state <> 'cancelled'`.execute(db);
  await sql`create index reminders_item_live_idx on outbox (item_id) where state in ('pending', 'claimed')`.execute(db);
  await sql`alter table outbox add constraint reminders_item_id_fkey foreign key (item_id) references action_items (id)`.execute(db);
  await sql`alter table outbox add constraint reminders_kind_check check (kind in ('before', 'due', 'overdue', 'snoozed', 'escalation'))`.execute(db);
  await sql`alter table outbox rename constraint outbox_group_id_fkey to reminders_group_id_fkey`.execute(db);
  await sql`alter table outbox rename constraint outbox_state_check to reminders_state_check`.execute(db);
  await sql`alter table outbox rename constraint outbox_sent_has_ts to reminders_sent_has_ts`.execute(db);
  await sql`alter table outbox rename constraint outbox_pkey to reminders_pkey`.execute(db);
  await sql`alter sequence outbox_id_seq rename to reminders_id_seq`.execute(db);
  await sql`alter table outbox rename to reminders`.execute(db);
}
