import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ItemState } from '../domain/action-item.js';

export interface ActionItemsTable {
  id: Generated<number>;
  team_id: string;
  group_id: number;
  /** The item's number in its group (#1 is each group's first): what people see and type. `id` never leaves docket's own values (buttons, forms, outbox rows). */
  seq: number;
  case_id: number;
  text: string;
  /** Exactly one of owner_user_id and owner_unit_id is set (a check constraint says so). */
  owner_user_id: string | null;
  owner_unit_id: number | null;
  due_at: Date;
  state: ItemState;
  /** Reminders to the owner wait until then; escalation does not. */
  snoozed_until: Date | null;
  /** When and by whom it was done or cancelled. */
  closed_at: Date | null;
  closed_by: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ActionItem = Selectable<ActionItemsTable>;
export type NewActionItem = Insertable<ActionItemsTable>;
export type ActionItemPatch = Updateable<ActionItemsTable>;

/** The last item number each group gave (see nextItemSeq). */
export interface ItemCountersTable {
  group_id: number;
  last_seq: number;
}
