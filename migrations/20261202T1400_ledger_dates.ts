import { sql, type Kysely } from 'kysely';

/**
 * The ledger records when things happened, not only when they were typed.
 *
 * `audit_events.at` becomes when the entry's fact happened (a custody at 2019-09-22 07:24, a
 * close on 2021-05-28, money dated 2020-05-20, a case opened in 2018), and the new
 * `recorded_at` when docket wrote it. Old entries keep their typing time as `recorded_at`;
 * those whose own data says when they happened (status and close entries carry `at`, money
 * its date, an opening its date) get that as `at`. This is the only change ever made to the
 * append-only timeline, done with its guard lifted for the length of the migration.
 *
 * Cases gain a structured place where the subject was found (region: province, state or
 * country; city), so returns can be counted by region. Money entries gain `correction`: a
 * negative amount is a correction of an earlier entry, said as such.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_events add column recorded_at timestamptz`.execute(db);
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
  await sql`update audit_events set recorded_at = at`.execute(db);
  await sql`
    update audit_events set at = (after->>'at')::timestamptz
    where kind in ('case.status', 'case.closed') and after->>'at' is not null`.execute(db);
  // Date-only facts happen at the start of their day in the group's zone.
  await sql`
    update audit_events e set at = ((e.after->>'occurred_on')::date::timestamp at time zone g.time_zone)
    from groups g
    where g.id = e.group_id and e.kind = 'money.added'`.execute(db);
  await sql`
    update audit_events e set at = ((e.after->>'opened_on')::date::timestamp at time zone g.time_zone)
    from groups g
    where g.id = e.group_id and e.kind = 'case.opened' and e.after->>'opened_on' is not null
      and ((e.after->>'opened_on')::date::timestamp at time zone g.time_zone) < e.at`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_no_change`.execute(db);
  await sql`alter table audit_events alter column recorded_at set default now()`.execute(db);
  await sql`alter table audit_events alter column recorded_at set not null`.execute(db);
  await db.schema.createIndex('audit_case_at_idx').on('audit_events').columns(['case_id', 'at', 'id']).execute();

  // A backfilled case that never changed status was "open since" the day it was typed in.
  await sql`
    update cases c set status_changed_at = (c.opened_on::timestamp at time zone g.time_zone)
    from groups g
    where g.id = c.group_id and c.status = 'open'
      and (c.opened_on::timestamp at time zone g.time_zone) < c.status_changed_at
      and not exists (select 1 from audit_events e where e.case_id = c.id and e.kind in ('case.status', 'case.closed', 'case.reopened'))`.execute(db);

  await db.schema
    .alterTable('cases')
    .addColumn('found_region', 'text')
    .addColumn('found_city', 'text')
    .execute();

  await db.schema.alterTable('money_entries').addColumn('correction', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await sql`update money_entries set correction = true where amount < 0`.execute(db);
  await sql`alter table money_entries add constraint money_correction_sign check (amount > 0 or correction)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table money_entries drop constraint money_correction_sign`.execute(db);
  await db.schema.alterTable('money_entries').dropColumn('correction').execute();
  await db.schema.alterTable('cases').dropColumn('found_region').dropColumn('found_city').execute();
  await db.schema.dropIndex('audit_case_at_idx').execute();
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
  await sql`update audit_events set at = recorded_at`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_no_change`.execute(db);
  await sql`alter table audit_events drop column recorded_at`.execute(db);
}
