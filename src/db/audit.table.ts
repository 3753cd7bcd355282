import type { ColumnType, Generated, Selectable } from 'kysely';

type Json = ColumnType<unknown, string | null, never>;

/** Append-only (a trigger rejects UPDATE and DELETE): the case timeline and the group audit log. */
export interface AuditEventsTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  case_id: number | null;
  actor_user_id: string;
  /** When what it records happened (given by the person for back-dated facts); defaults to now. */
  at: Generated<Date>;
  /** When docket wrote it. */
  recorded_at: Generated<Date>;
  kind: string;
  before: Json;
  after: Json;
}
export type AuditEvent = Selectable<AuditEventsTable>;

export interface ProcessedRequestsTable {
  team_id: string;
  key: string;
  created_at: Generated<Date>;
}
