import { recordEvent } from '../../db/audit.repo.js';
import type { AuditEvent } from '../../db/audit.table.js';
import type { Executor } from '../../db/database.js';
import type { Messages } from '../../i18n/index.js';

/**
 * The timeline's vocabulary, as types. Each feature declares its event kinds as a map from
 * kind to the shape of what it records (`before`, `after`), and one describer per kind that
 * turns a recorded entry into a line for the reader. The union of every feature's map is the
 * only thing `recordTimeline` accepts, so a misspelt kind or a wrong shape fails to compile;
 * a kind without a describer fails to compile too (see src/features/timeline.ts).
 */
export type EventShapes = Record<string, { before: unknown; after: unknown }>;

/** An entry of one of the kinds in `E`, as written. */
export type EventOf<E extends EventShapes> = { [K in keyof E & string]: { kind: K; before: E[K]['before']; after: E[K]['after'] } }[keyof E & string];

export interface DescribeContext {
  m: Messages;
  /** The group's time zone: times in lines are its wall time. */
  zone: string;
}

/** A line of mrkdwn for one entry (user text escaped and shortened), in the reader's language. */
export type Describe<S extends { before: unknown; after: unknown }> = (e: S, c: DescribeContext) => string;

/** One describer per kind of `E`: the compiler refuses a kind left out. */
export type Describers<E extends EventShapes> = { [K in keyof E & string]: Describe<E[K]> };

/** Where an entry belongs and who made it (a Slack user id, or the bot's name for its own entries). */
export interface EventPlace {
  teamId: string;
  groupId: number;
  caseId?: number | null;
  actor: string;
  /** Defaults to the transaction's now(); set for back-dated facts such as an arrest time. */
  at?: Date;
}

/** Writes one entry, in the caller's transaction. */
export function recordTimeline<E extends EventShapes>(db: Executor, place: EventPlace, e: EventOf<E>): Promise<void> {
  return recordEvent(db, { ...place, kind: e.kind, before: e.before, after: e.after });
}

/**
 * A stored entry as a line. Entries are read back as written by the same code, so their shape
 * is the kind's; a kind no feature describes any more (removed since) shows by its name.
 */
export function describeWith<E extends EventShapes>(describers: Describers<E>, e: AuditEvent, c: DescribeContext): string {
  if (!Object.hasOwn(describers, e.kind)) return c.m.event.other(e.kind);
  const describe = describers[e.kind as keyof E & string] as Describe<{ before: unknown; after: unknown }>;
  return describe({ before: e.before, after: e.after }, c);
}
