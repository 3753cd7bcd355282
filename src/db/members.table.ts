import type { Generated, Selectable } from 'kysely';
import type { Role } from '../domain/roles.js';

export interface MembersTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  user_id: string;
  unit_id: number | null;
  role: Role;
  created_at: Generated<Date>;
}
export type Member = Selectable<MembersTable>;
