import type { Trx } from '../../db/database.js';
import type { Messages } from '../../i18n/index.js';
import type { Message } from '../../slack/kit.js';
import type { OutboxRow, Scheduled } from './outbox.table.js';

/**
 * What a kind of message brings to the one delivery engine. The engine claims, paces, locks,
 * posts, records and recovers; the kind says what the message is about and what it says.
 */
export interface OutboxKind<S> {
  /**
   * Inside the delivery transaction: the row FOR UPDATE and its subject locked the way changes
   * to that subject lock it, in one statement (subject first, so the two cannot deadlock).
   * Undefined when the row is gone.
   */
  lock(trx: Trx, id: number): Promise<{ row: OutboxRow; subject: S } | undefined>;
  /**
   * lock() for many rows in one statement (the engine delivers in batches), taking the
   * subjects' locks in the order changes to several of them take them (their ids); rows that
   * are gone are absent from the answer. The engine locks the rows of kinds without it first
   * (their subjects contain these: a case its items), one by one in row id order.
   */
  lockMany?(trx: Trx, ids: readonly number[]): Promise<Map<number, { row: OutboxRow; subject: S }>>;
  /** Still worth posting? When not (the item was done, its person left), the row is cancelled. */
  wanted(subject: S, row: OutboxRow): boolean;
  /** The message, in the reader's language. */
  render(trx: Trx, subject: S, row: OutboxRow, r: RenderInput): Promise<Message> | Message;
  /** In the transaction that records the post: what to plan next, and timeline entries. */
  sent?(trx: Trx, subject: S, row: OutboxRow, d: { at: Date; late: boolean; possibleRepeat: string | undefined }): Promise<Scheduled[]>;
  /** Slack refused it for good (channel gone, person deactivated): say so where people look. */
  failed?(trx: Trx, subject: S, row: OutboxRow, code: string): Promise<void>;
  /**
   * The sent message again, showing its subject as it is now (after a change to it), in the
   * reader's language: what chat.update replaces it with. A kind without it is never updated.
   */
  refresh?(trx: Trx, subject: S, row: OutboxRow, r: RefreshInput): Promise<Message> | Message;
}

export interface RefreshInput {
  m: Messages;
  now: Date;
}

export interface RenderInput {
  m: Messages;
  now: Date;
  /** Posted later than its time by more than the engine's allowance (downtime, a lost schedule). */
  late: boolean;
  /** Why it may be a repeat (a dead attempt's post could not be looked for), when it may. */
  possibleRepeat: string | undefined;
}

/** Every kind docket knows, by name (`row.kind`). */
export type OutboxKinds = Readonly<Record<string, OutboxKind<unknown>>>;

/** A kind typed by its subject, stored among the others (whose subjects differ). */
export function outboxKind<S>(kind: OutboxKind<S>): OutboxKind<unknown> {
  return kind as OutboxKind<unknown>;
}
