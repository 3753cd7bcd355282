import { sql, type Kysely } from 'kysely';

/**
 * The case ledger: groups, units, members, cases with their reference counters, money
 * entries, the append-only audit timeline, and the request keys that make handlers
 * idempotent. Every table carries the Slack team id so several workspaces can share a
 * deployment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('case_prefix', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('announce_channel_id', 'text')
    .addColumn('parent_group_id', 'bigint', (c) => c.references('groups.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('groups_channel_uq', ['team_id', 'channel_id'])
    .addUniqueConstraint('groups_prefix_uq', ['team_id', 'case_prefix'])
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact_user_id', 'text')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index units_name_uq on units (group_id, lower(name)) where archived_at is null`.execute(db);

  await db.schema
    .createTable('members')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('coordinator', 'member', 'observer')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('members_user_uq', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('members_user_idx').on('members').columns(['team_id', 'user_id']).execute();

  await db.schema
    .createTable('case_counters')
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_counters_pk', ['group_id', 'year'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('category', 'text')
    .addColumn('origin_unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('opened_on', 'date', (c) => c.notNull())
    .addColumn('at_large_since', 'date')
    .addColumn('last_location', 'text')
    .addColumn('plan', 'text')
    .addColumn('plan_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervisor_user_id', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'located', 'in_custody', 'on_hold', 'closed')`),
    )
    .addColumn('outcome', 'text', (c) =>
      c.check(sql`outcome in ('returned', 'surrendered', 'deceased', 'withdrawn', 'other')`),
    )
    .addColumn('status_changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('located_at', 'timestamptz')
    .addColumn('in_custody_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('cases_ref_uq', ['team_id', 'ref'])
    .addUniqueConstraint('cases_seq_uq', ['group_id', 'year', 'seq'])
    .addCheckConstraint('cases_closed_outcome', sql`(status = 'closed') = (outcome is not null)`)
    .execute();
  await db.schema.createIndex('cases_group_status_idx').on('cases').columns(['group_id', 'status']).execute();

  await db.schema
    .createTable('money_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('involved', 'frozen', 'recovered')`))
    .addColumn('amount', sql`numeric(20, 4)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('money_case_idx').on('money_entries').column('case_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('case_id', 'bigint', (c) => c.references('cases.id'))
    .addColumn('actor_user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema.createIndex('audit_case_idx').on('audit_events').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('audit_group_idx').on('audit_events').columns(['group_id', 'id']).execute();
  // The timeline is evidence: rows are never changed or removed once written.
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_no_change before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);

  await db.schema
    .createTable('processed_requests')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processed_requests_pk', ['team_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['processed_requests', 'audit_events', 'money_entries', 'cases', 'case_counters', 'members', 'units', 'groups']) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop function if exists audit_events_append_only()`.execute(db);
}
