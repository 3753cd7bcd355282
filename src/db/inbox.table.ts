import type { ColumnType, Generated, Selectable } from 'kysely';

export type InboxKind = 'command' | 'button' | 'view';
export type InboxState = 'received' | 'done' | 'failed';

export interface RequestInboxTable {
  id: Generated<number>;
  team_id: string;
  key: string;
  kind: InboxKind;
  /** The request as docket needs it to run again (ids and typed values): parsed, not trusted, on the way back. */
  payload: ColumnType<unknown, string, string>;
  nonce: string;
  state: Generated<InboxState>;
  lease_until: Date;
  lease_owner: string | null;
  attempts: Generated<number>;
  received_at: Generated<Date>;
  finished_at: Date | null;
}
export type InboxRow = Selectable<RequestInboxTable>;
