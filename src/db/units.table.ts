import type { Generated, Selectable } from 'kysely';

export interface UnitsTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  name: string;
  contact_user_id: string | null;
  archived_at: Date | null;
  created_at: Generated<Date>;
}
export type Unit = Selectable<UnitsTable>;
