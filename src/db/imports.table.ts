import type { ColumnType, Generated, Selectable } from 'kysely';

/** A CSV file brought into a group's ledger: pending after the dry run, done once confirmed. */
export interface CaseImportsTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  content_hash: string;
  filename: string | null;
  /** The file's records, header first (JSON on write, arrays on read); emptied once done. */
  records: ColumnType<unknown, string, string>;
  row_count: number;
  state: Generated<'pending' | 'done'>;
  created_by: string;
  created_at: Generated<Date>;
  expires_at: Date;
  done_by: string | null;
  done_at: Date | null;
  case_ids: Generated<number[]>;
}
export type CaseImport = Selectable<CaseImportsTable>;
