import { sql, type Kysely } from 'kysely';

/**
 * Action items and their reminders. Postgres is the source of truth for the schedule: every
 * reminder that should go out is a row here; Redis only holds delayed jobs computed from
 * these rows, and can be rebuilt from them at any time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('action_items')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('owner_unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'done', 'cancelled')`))
    .addColumn('snoozed_until', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Exactly one owner: a person or a unit.
    .addCheckConstraint('action_items_one_owner', sql`(owner_user_id is null) <> (owner_unit_id is null)`)
    .execute();
  await db.schema.createIndex('action_items_group_idx').on('action_items').columns(['group_id', 'state', 'due_at']).execute();
  await db.schema.createIndex('action_items_case_idx').on('action_items').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('action_items_owner_idx').on('action_items').columns(['team_id', 'owner_user_id', 'state']).execute();
  await db.schema.createIndex('action_items_unit_idx').on('action_items').columns(['owner_unit_id', 'state']).execute();

  // No row means the defaults: 24 h and 1 h before, at due, daily at 09:00, escalate after 3 days.
  await db.schema
    .createTable('reminder_settings')
    .addColumn('group_id', 'bigint', (c) => c.primaryKey().references('groups.id'))
    .addColumn('before_minutes', sql`integer[]`, (c) => c.notNull())
    .addColumn('at_due', 'boolean', (c) => c.notNull())
    .addColumn('overdue_hour', 'integer', (c) => c.check(sql`overdue_hour between 0 and 23`))
    .addColumn('escalate_after_days', 'integer', (c) => c.check(sql`escalate_after_days between 1 and 365`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reminders')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('action_items.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('before', 'due', 'overdue', 'snoozed', 'escalation')`))
    .addColumn('fire_at', 'timestamptz', (c) => c.notNull())
    // A user id (a direct message) or a channel id (escalations).
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`state in ('pending', 'claimed', 'sent', 'cancelled', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim_token', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_channel', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('reminders_sent_has_ts', sql`(state = 'sent') = (message_ts is not null)`)
    .execute();
  // What the reconciler scans, and what an item change cancels.
  await sql`create index reminders_live_idx on reminders (fire_at) where state in ('pending', 'claimed')`.execute(db);
  await sql`create index reminders_item_live_idx on reminders (item_id) where state in ('pending', 'claimed')`.execute(db);
  // Planning twice (two paths racing to plan the next daily reminder) cannot create two rows.
  await sql`create unique index reminders_once_uq on reminders (item_id, kind, fire_at, channel) where state <> 'cancelled'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reminders', 'reminder_settings', 'action_items']) await db.schema.dropTable(t).execute();
}
