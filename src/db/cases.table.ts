import type { Generated, Insertable, Selectable } from 'kysely';
import type { CaseStatus, Outcome } from '../domain/case-status.js';

export interface CaseCountersTable {
  group_id: number;
  year: number;
  last_seq: number;
}

export interface CasesTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  ref: string;
  year: number;
  seq: number;
  title: string;
  subject: string | null;
  category: string | null;
  origin_unit_id: number | null;
  /** ISO date (YYYY-MM-DD): pg `date` columns are read as strings, never as JS Dates. */
  opened_on: string;
  at_large_since: string | null;
  last_location: string | null;
  plan: string | null;
  plan_version: Generated<number>;
  supervisor_user_id: string | null;
  status: CaseStatus;
  outcome: Outcome | null;
  status_changed_at: Date;
  located_at: Date | null;
  in_custody_at: Date | null;
  closed_at: Date | null;
  /** Where the subject was found (custody, or the close): region (province, state or country) and city. */
  found_region: Generated<string | null>;
  found_city: Generated<string | null>;
  /** The reference the case had in the file it was imported from (null: opened in docket). */
  source_ref: Generated<string | null>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
