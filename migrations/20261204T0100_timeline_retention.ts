import { sql, type Kysely } from 'kysely';

/**
 * An office may keep the timelines of closed cases for a limited time (TIMELINE_RETENTION_DAYS,
 * off by default). The timeline stays append-only for everything else: the guard now lets one
 * thing through, a DELETE of a closed case's entry made by `forget_closed_case_timelines`, which
 * raises a flag for its own statement only (a transaction-local setting). An UPDATE, a DELETE
 * of an open case's entry or of a group's own entries (units, members), or any DELETE without
 * the flag, is refused as before.
 *
 * A case is forgotten when it is closed and none of its entries was written within the
 * retention: the clock runs from when the close (or anything later) was recorded, not from the
 * close date, so a case typed in today as closed in 2019 keeps its timeline for the full time.
 * Cases being changed at that moment are skipped (SKIP LOCKED) and taken on a later pass.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and old.case_id is not null
         and current_setting('docket.forgetting_timelines', true) = 'on'
         and exists (select 1 from cases c where c.id = old.case_id and c.status = 'closed') then
        return old;
      end if;
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await sql`
    create function forget_closed_case_timelines(cutoff timestamptz, max_cases integer) returns integer
    language plpgsql as $$
    declare
      forgotten integer;
    begin
      perform set_config('docket.forgetting_timelines', 'on', true);
      with due as (
        select c.id from cases c
         where c.status = 'closed'
           and exists (select 1 from audit_events e where e.case_id = c.id)
           and not exists (select 1 from audit_events e where e.case_id = c.id and e.recorded_at >= cutoff)
         order by c.id
         limit max_cases
         for update of c skip locked
      )
      delete from audit_events e using due where e.case_id = due.id;
      get diagnostics forgotten = row_count;
      perform set_config('docket.forgetting_timelines', 'off', true);
      return forgotten;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function forget_closed_case_timelines(timestamptz, integer)`.execute(db);
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
}
