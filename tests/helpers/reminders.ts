import type { Job } from 'bullmq';
import { sql } from 'kysely';
import type { ManualClock } from '../../src/domain/clock.js';
import type { Clock } from '../../src/domain/clock.js';
import { jobIdOf } from '../../src/platform/outbox/queue.js';
import type { OutboxRow } from '../../src/platform/outbox/outbox.table.js';
import type { RecordedCall } from '../../src/slack/fake/fake-slack.js';
import type { Harness } from './harness.js';
import { OWNERSHIP_KINDS, ownershipKind } from '../../src/features/items/reminder-rows.js';
import { until } from './wait.js';

/** Direct messages about an item changing hands: outbox rows about an item that are not reminders. */
const OWNERSHIP = new Set<string>(OWNERSHIP_KINDS.map(ownershipKind));

/** Whether a Slack call carried one of those messages (they go at once when an item is added for someone). */
export const isOwnershipCall = (c: { args: Record<string, any> }) => OWNERSHIP.has(String(c.args.metadata?.event_payload?.kind));

/**
 * Controllable time for reminders. The app and the workers read a ManualClock; BullMQ's
 * delays are real time, so moving the clock forward also promotes the delayed jobs whose
 * reminders are now due by that clock (what the passing of real time would have done).
 */
export async function advanceTo(h: Pick<Harness, 'db' | 'workers'>, clock: Pick<ManualClock, 'set'>, at: Date): Promise<number[]> {
  // Read before the clock moves: the planner's own timer may run the moment it does, and what
  // it plans then must count as planned here, not as a row that was already waiting.
  const before = (await h.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0;
  clock.set(at);
  // Recurring work due by now runs first (the daily overdue reminder), as the planner's timer
  // would; what it plans is due at once (its jobs may have run already: their outcomes count).
  await h.workers!.schedules.runOnce();
  const planned = await h.db.selectFrom('outbox').select('id').where('id', '>', Number(before)).where('fire_at', '<=', at).execute();
  const due = await h.db.selectFrom('outbox').select('id').where('state', '=', 'pending').where('fire_at', '<=', at).where('id', '<=', Number(before)).orderBy('fire_at').execute();
  const released: number[] = [];
  for (const { id } of due) {
    const job = (await h.workers!.scheduler.queue.getJob(jobIdOf(id))) as Job | undefined;
    if (job && (await job.isDelayed())) {
      await job.promote();
      released.push(id);
    }
  }
  return [...planned.map((r) => r.id), ...released];
}

/** Outcomes after which a job is finished with its reminder (the others are retried or waited out). */
const FINAL = new Set(['sent', 'recovered', 'permanent', 'stale', 'lost']);

/** Resolves with the worker's log line for this reminder's final outcome (sent, stale, permanent…). */
export function outcomeOf(h: Harness, reminderId: number, timeoutMs = 15_000): Promise<Record<string, any>> {
  return h.logs.waitFor((l) => l.msg === 'delivery' && l.outbox === reminderId && FINAL.has(l.outcome), 0, timeoutMs);
}

/** The first attempt's outcome, final or not (a 429, a refusal that will be retried…). */
export function firstOutcomeOf(h: Harness, reminderId: number, timeoutMs = 15_000): Promise<Record<string, any>> {
  return h.logs.waitFor((l) => l.msg === 'delivery' && l.outbox === reminderId, 0, timeoutMs);
}

/** Resolves once the reminder has been posted (after any rate-limit waits or retries). */
export function sentOf(h: Harness, reminderId: number, timeoutMs = 15_000): Promise<Record<string, any>> {
  return h.logs.waitFor((l) => l.msg === 'delivery' && l.outbox === reminderId && (l.outcome === 'sent' || l.outcome === 'recovered'), 0, timeoutMs);
}

export async function advanceAndDeliver(h: Harness, clock: ManualClock, at: Date): Promise<Record<string, any>[]> {
  const ids = await advanceTo(h, clock, at);
  return Promise.all(ids.map((id) => outcomeOf(h, id)));
}

/** An item's reminders in the outbox, with their kinds as the item knows them ('before', 'due', …). */
export async function remindersOf(h: Harness, itemId: number): Promise<OutboxRow[]> {
  const rows = await h.db
    .selectFrom('outbox')
    .selectAll()
    .where('subject_type', '=', 'item')
    .where('subject_id', '=', itemId)
    .where('kind', 'not in', [...OWNERSHIP])
    .orderBy('fire_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, kind: r.kind.replace(/^item\./, '') }));
}

const postsOfKind = (h: Harness, wanted: (kind: string) => boolean): RecordedCall[] =>
  h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.metadata?.event_type === 'docket_outbox' && wanted(String(c.args.metadata.event_payload?.kind)));


/** Successful posts of item reminders (what a person actually received), by their metadata. */
export function reminderPosts(h: Harness): RecordedCall[] {
  return postsOfKind(h, (k) => k.startsWith('item.') && !OWNERSHIP.has(k));
}

/** Successful direct messages about who owns an item (given to you, taken from you). */
export function ownershipPosts(h: Harness): RecordedCall[] {
  return postsOfKind(h, (k) => OWNERSHIP.has(k));
}

export const reminderIdOf = (c: RecordedCall): number => Number(c.args.metadata?.event_payload?.outbox_id);

export { until } from './wait.js';

/**
 * Waits until every message docket sent shows its subject as it is now (or can no longer be
 * updated): after a change, its updates go out through the workers. Needs `workers: true`.
 */
export async function refreshed(h: Harness, timeoutMs = 15_000): Promise<void> {
  const stale = () => h.db.selectFrom('outbox').select('id').where(sql<boolean>`subject_version > shown_version`).where('update_error', 'is', null).execute();
  await until(async () => (await stale()).length === 0 || undefined, timeoutMs);
}

/** The messages docket sent about an item (rows with the conversation and ts Slack answered), in the order sent. */
export function sentAbout(h: Harness, itemId: number): Promise<OutboxRow[]> {
  return h.db.selectFrom('outbox').selectAll().where('subject_type', '=', 'item').where('subject_id', '=', itemId).where('state', '=', 'sent').orderBy('sent_at').orderBy('id').execute();
}

/**
 * A clock that runs in real time from a chosen start: for tests where BullMQ's own delays must
 * fire, or where an app runs as it would (the demo) until the test moves time on (`set`).
 */
export class RunningClock implements Clock {
  private offset: number;
  constructor(start: Date = new Date()) {
    this.offset = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  /** Jumps to `at`, and runs on from there. */
  set(at: Date): void {
    this.offset = at.getTime() - Date.now();
  }
  /** The real (epoch) time at which this clock will read `at`. */
  realTimeOf(at: Date): number {
    return at.getTime() - this.offset;
  }
}

/** Shanghai wall time → Date. */
export const sh = (wall: string): Date => new Date(`${wall}+08:00`);
