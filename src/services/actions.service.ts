import type { ActionItem } from '../db/action-items.table.js';
import { findItem, findItemBySeq, insertItem, lockItem, nextItemSeq, updateItem } from '../db/action-items.repo.js';
import { shareLockCase } from '../db/cases.repo.js';
import type { CaseRow } from '../db/cases.table.js';
import type { Executor, Trx } from '../db/database.js';
import { findMember } from '../db/members.repo.js';
import { saveReminderSettings } from '../db/reminder-settings.repo.js';
import type { Snooze } from '../domain/action-item.js';
import { snoozeEnd } from '../domain/action-item.js';
import { dueText } from '../domain/time.js';
import type { ReminderSettings } from '../domain/reminder-settings.js';
import { can, type Ability } from '../domain/roles.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { ownerRecipients, replan, replanOwnedBy } from './reminder-planner.js';
import { ITEM_SUBJECT, ownershipRow } from '../features/items/reminder-rows.js';
import { insertOutbox } from '../platform/outbox/outbox.repo.js';
import { markStale } from '../platform/outbox/refresh.repo.js';
import type { Refresh, Scheduled } from '../platform/outbox/outbox.table.js';
import { applySchedule, noChange, type ScheduleChange } from '../platform/outbox/scheduler.js';
import { authorize, mutate, scopeForGroupId, scopeOfChannel, scopesOfReader, type Actor, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';
import { syncOverdueSchedule } from '../features/items/overdue-schedule.js';
import { record, type TimelineEvent } from '../features/timeline.js';

export type Owner = { userId: string } | { unitId: number };

export interface ItemContext {
  scope: Scope;
  item: ActionItem;
}

/** The owner (or a member of the owning unit) may work their own item, whatever their role. */
function ownsItem(item: ActionItem, scope: Scope): boolean {
  const me = scope.member;
  if (!me) return false;
  if (item.owner_user_id) return item.owner_user_id === me.user_id;
  return me.unit_id !== null && me.unit_id === item.owner_unit_id;
}

/** Whether the reader may work the item (done, snooze, reassign, reopen): its owner, or anyone who may write in the group. */
export function mayWorkItem(item: ActionItem, scope: Scope): boolean {
  return ownsItem(item, scope) || (scope.member !== undefined && can(scope.member.role, 'write'));
}

function allowed(scope: Scope, item: ActionItem, ability: Ability): ItemContext {
  if (ability === 'write' && ownsItem(item, scope)) return { scope, item };
  authorize(scope, ability);
  return { scope, item };
}

/**
 * The item a button or a form carries (its row id, which people never see), for someone
 * allowed to `ability` it, from whichever channel: reminders and their buttons are direct
 * messages. An id that names nothing the reader may see answers as a stale button.
 */
export async function itemForActor({ db, teamId, userId }: Reader, id: number, ability: Ability): Promise<ItemContext> {
  const item = await findItem(db, id);
  if (!item || item.team_id !== teamId) throw new NotFound((m) => m.staleButton);
  const scope = await scopeForGroupId(db, item.group_id, userId);
  // Someone outside the group learns nothing of it, not even that the item exists.
  if (!scope.member) throw new NotFound((m) => m.staleButton);
  return allowed(scope, item, ability);
}

/**
 * The item a person typed (`/action done 3`): the third item of the group of the channel they
 * typed it in (in a direct message, of their one group), as case references are read in their
 * group. Another group's #3 is never reached this way.
 */
export async function itemByNumber(reader: Reader, channelId: string, no: number, ability: Ability): Promise<ItemContext> {
  const scope = await numbersScope(reader, channelId);
  // In the group's own channel the group is no secret: a non-member is told how to join.
  if (!scope.member) authorize(scope, ability);
  const item = await findItemBySeq(reader.db, scope.group.id, no);
  if (!item) throw new NotFound((m) => m.itemNotFound(no));
  return allowed(scope, item, ability);
}

/**
 * The group whose numbers a channel's #N means: the channel's group; in a direct message the
 * reader's group when there is one (with two, a number alone cannot say whose).
 */
async function numbersScope(reader: Reader, channelId: string): Promise<Scope> {
  const here = await scopeOfChannel(reader, channelId);
  if (here) return here;
  // Direct-message channel ids start with D.
  if (channelId.startsWith('D')) {
    const mine = await scopesOfReader(reader, 2);
    if (mine.length === 1) return mine[0]!;
  }
  throw new InvalidInput((m) => m.notAGroup);
}

/** What an item's timeline entries say it is: its row id, and the number its group knows it by. */
const tagOf = (item: Pick<ActionItem, 'id' | 'seq'>) => ({ id: item.id, no: item.seq });

/** An item's entries go on its case's timeline. */
const onItemCase = (actor: Actor, item: ActionItem) => ({ teamId: actor.teamId, groupId: item.group_id, caseId: item.case_id, actor: actor.userId });

const ownerJson = (i: { owner_user_id: string | null; owner_unit_id: number | null }) => ({ owner_user_id: i.owner_user_id, owner_unit_id: i.owner_unit_id });

/** After the commit: the schedule in Redis learns of the reminders the change planned or cancelled. */
async function finish<T extends { change: ScheduleChange }>(ctx: ServiceContext, result: Mutation<T>): Promise<Mutation<T>> {
  if (!result.duplicate) await applySchedule(ctx.outbox, result.value.change);
  return result;
}

export async function assertOwnerIsMember(db: Executor, scope: Scope, owner: Owner): Promise<void> {
  // Giving an item to oneself: the scope already read the actor's membership (and authorized it).
  if ('userId' in owner && owner.userId === scope.member?.user_id) return;
  if ('userId' in owner && !(await findMember(db, scope.group.id, owner.userId))) {
    throw new Conflict((m) => m.ownerNotMember(owner.userId));
  }
}

export interface NewItemInput {
  case: CaseRow;
  text: string;
  owner: Owner;
  dueAt: Date;
}

export interface NewItem {
  item: ActionItem;
  /**
   * The due time had already passed. The one past-due policy: a new item may be due in the
   * past (an office entering matters that are already late; it starts overdue, and the reply
   * says so); moving a due time (`rescheduleItem`) must go forward.
   */
  overdue: boolean;
  /** The reminders it planned: the caller applies them after its commit. */
  change: ScheduleChange;
}

/**
 * Whether the actor may add this item, by the rules every path shares (the command, the form,
 * and a caller composing a larger change): write access, an open case, an owner in the group.
 * Checked under the case's lock by addItemIn; a form checks the same rules before it closes,
 * so that a refusal shows on the form.
 */
async function checkNewItem(db: Executor, scope: Scope, c: CaseRow, owner: Owner): Promise<void> {
  authorize(scope, 'write');
  assertCaseOpen(c);
  await assertOwnerIsMember(db, scope, owner);
}

/** No items on a closed case: reopen it first. */
export function assertCaseOpen(c: CaseRow): void {
  if (c.status === 'closed') throw new Conflict((m) => m.actionCaseClosed(c.ref));
}

/**
 * Adds an item inside the caller's transaction (minutes adding their decisions as items, all
 * or nothing): the case is share-locked so that it cannot close meanwhile, the rules are
 * checked under that lock, and the timeline entry and reminders are written with the item.
 */
export async function addItemIn(trx: Trx, ctx: ServiceContext, scope: Scope, input: NewItemInput): Promise<NewItem> {
  const c = await shareLockCase(trx, input.case.id);
  if (!c || c.group_id !== scope.group.id) throw new NotFound((m) => m.caseNotFound(input.case.ref));
  await checkNewItem(trx, scope, c, input.owner);
  const now = ctx.clock.now();
  const item = await insertItem(trx, {
    team_id: ctx.teamId,
    group_id: scope.group.id,
    // Taken last, just before the insert: the counter's lock queues the group's adds until commit.
    seq: await nextItemSeq(trx, scope.group.id),
    case_id: c.id,
    text: input.text,
    owner_user_id: 'userId' in input.owner ? input.owner.userId : null,
    owner_unit_id: 'unitId' in input.owner ? input.owner.unitId : null,
    due_at: input.dueAt,
    state: 'open',
    snoozed_until: null,
    closed_at: null,
    closed_by: null,
    created_by: ctx.userId,
  });
  await record(trx, onItemCase(ctx, item), { kind: 'action.added', before: null, after: { ...tagOf(item), text: item.text, ...ownerJson(item), due_at: item.due_at.toISOString() } });
  const change = await replan(trx, item, now, { group: scope.group });
  change.add.push(...(await ownershipNotices(trx, ctx, item, [], now, change.recipients)));
  return { item, overdue: input.dueAt.getTime() <= now.getTime(), change };
}

/** Adds an item in a transaction of its own (with the request's key), then schedules its reminders. */
export async function addItem(ctx: ServiceContext, scope: Scope, input: NewItemInput): Promise<Mutation<NewItem>> {
  return finish(ctx, await mutate(ctx, (trx) => addItemIn(trx, ctx, scope, input)));
}

/**
 * Direct messages when an item changes hands: to each person who now hears it (but the one
 * who gave it), and after a reassign to each who heard it before and no longer does.
 */
async function ownershipNotices(trx: Trx, ctx: ServiceContext, item: ActionItem, before: string[], now: Date, hearNow?: string[]): Promise<Scheduled[]> {
  const after = hearNow ?? (await ownerRecipients(trx, item));
  const told = (u: string) => u !== ctx.userId;
  return insertOutbox(trx, [
    ...after.filter((u) => told(u) && !before.includes(u)).map((u) => ownershipRow(item, 'assigned', u, now, ctx.userId)),
    ...before.filter((u) => told(u) && !after.includes(u)).map((u) => ownershipRow(item, 'released', u, now, ctx.userId)),
  ]);
}

type ItemChange = { patch: Parameters<typeof updateItem>[2]; notifyOwners?: boolean; event: Extract<TimelineEvent, { kind: 'action.done' | 'action.cancelled' | 'action.reopened' | 'action.due' | 'action.reassigned' | 'action.snoozed' }> };

/**
 * The shape of every change to an existing item: check, lock, change, record, re-plan. `fn`
 * answers null when the item already is as asked (a second press of the same button with a
 * new trigger id): nothing is written, and the caller answers as if it had just happened.
 */
async function changeItem(
  ctx: ServiceContext,
  id: number,
  fn: (item: ActionItem, scope: Scope, trx: Trx) => ItemChange | null | Promise<ItemChange | null>,
): Promise<Mutation<{ item: ActionItem; before: ActionItem; change: ScheduleChange; scope: Scope }>> {
  const { scope } = await itemForActor(ctx, id, 'write');
  const now = ctx.clock.now();
  const result = await mutate(ctx, async (trx) => {
    const locked = await lockItem(trx, id);
    if (!locked) throw new NotFound((m) => m.staleButton);
    const c = await fn(locked, scope, trx);
    if (!c) return { item: locked, before: locked, change: noChange(), scope };
    const heardBefore = c.notifyOwners ? await ownerRecipients(trx, locked) : [];
    const item = await updateItem(trx, id, c.patch);
    await record(trx, onItemCase(ctx, locked), c.event);
    const change = await replan(trx, item, now, { group: scope.group });
    if (c.notifyOwners) change.add.push(...(await ownershipNotices(trx, ctx, item, heardBefore, now, change.recipients)));
    // What docket already sent about it (reminders, ownership messages) is updated after the commit.
    change.refresh = await markStale(trx, { type: ITEM_SUBJECT, id }, now);
    return { item, before: locked, change, scope };
  });
  return finish(ctx, result);
}

function requireOpen(item: ActionItem): void {
  if (item.state !== 'open') throw new Conflict((m) => m.itemNotOpen(item.seq, item.state));
}

export function completeItem(ctx: ServiceContext, id: number) {
  return changeItem(ctx, id, (item) => {
    requireOpen(item);
    return { patch: { state: 'done', closed_at: ctx.clock.now(), closed_by: ctx.userId, snoozed_until: null }, event: { kind: 'action.done', before: { state: item.state }, after: { ...tagOf(item), state: 'done' } } };
  });
}

export function cancelItem(ctx: ServiceContext, id: number) {
  return changeItem(ctx, id, (item) => {
    requireOpen(item);
    return { patch: { state: 'cancelled', closed_at: ctx.clock.now(), closed_by: ctx.userId, snoozed_until: null }, event: { kind: 'action.cancelled', before: { state: item.state }, after: { ...tagOf(item), state: 'cancelled' } } };
  });
}

export function reopenItem(ctx: ServiceContext, id: number) {
  return changeItem(ctx, id, async (item, _scope, trx) => {
    if (item.state === 'open') throw new Conflict((m) => m.itemAlreadyOpen(item.seq));
    // A closed case has no live items: it is reopened first (its items do not come back with it).
    assertCaseOpen((await shareLockCase(trx, item.case_id))!);
    return { patch: { state: 'open', closed_at: null, closed_by: null }, event: { kind: 'action.reopened', before: { state: item.state }, after: { ...tagOf(item), state: 'open' } } };
  });
}

export function rescheduleItem(ctx: ServiceContext, id: number, dueAt: Date) {
  return changeItem(ctx, id, (item, scope) => {
    requireOpen(item);
    if (dueAt.getTime() <= ctx.clock.now().getTime()) throw new InvalidInput((m) => m.actionDueInPast(dueText(dueAt, scope.group.time_zone, m)));
    return { patch: { due_at: dueAt, snoozed_until: null }, event: { kind: 'action.due', before: { due_at: item.due_at.toISOString() }, after: { ...tagOf(item), due_at: dueAt.toISOString() } } };
  });
}

export function reassignItem(ctx: ServiceContext, id: number, owner: Owner) {
  return changeItem(ctx, id, async (item, scope, trx) => {
    requireOpen(item);
    await assertOwnerIsMember(trx, scope, owner);
    const next = { owner_user_id: 'userId' in owner ? owner.userId : null, owner_unit_id: 'unitId' in owner ? owner.unitId : null };
    return { patch: { ...next, snoozed_until: null }, notifyOwners: true, event: { kind: 'action.reassigned', before: ownerJson(item), after: { ...tagOf(item), ...next } } };
  });
}

/** Two presses of one snooze button (two trigger ids, a double click) a moment apart are one snooze. */
const SAME_SNOOZE_MS = 60_000;

export function snoozeItem(ctx: ServiceContext, id: number, snooze: Snooze) {
  return changeItem(ctx, id, (item, scope) => {
    requireOpen(item);
    const until = snoozeEnd(ctx.clock.now(), snooze, scope.group.time_zone);
    if (item.snoozed_until && Math.abs(item.snoozed_until.getTime() - until.getTime()) < SAME_SNOOZE_MS) return null;
    return { patch: { snoozed_until: until }, event: { kind: 'action.snoozed', before: { snoozed_until: item.snoozed_until?.toISOString() ?? null }, after: { ...tagOf(item), snooze, snoozed_until: until.toISOString() } } };
  });
}

/**
 * The case is closing: its open items are cancelled with it, inside the close's transaction
 * (which holds the case's lock; items are locked in id order, as item changes lock them), each
 * with a timeline entry saying why, and their reminders cancelled. Answers the ids.
 */
export async function cancelItemsOfCase(trx: Trx, ctx: ServiceContext, c: CaseRow): Promise<{ ids: number[]; change: ScheduleChange }> {
  // Locked as read: an item done meanwhile is re-checked after its lock and skipped, not overwritten.
  const open = await trx.selectFrom('action_items').select('id').where('case_id', '=', c.id).where('state', '=', 'open').orderBy('id').forUpdate().execute();
  const now = ctx.clock.now();
  const refresh: Refresh[] = [];
  const change: ScheduleChange = { ...noChange(), refresh };
  for (const { id } of open) {
    const item = await updateItem(trx, id, { state: 'cancelled', closed_at: now, closed_by: ctx.userId, snoozed_until: null });
    await record(trx, onItemCase(ctx, item), { kind: 'action.cancelled', before: { state: 'open' }, after: { ...tagOf(item), state: 'cancelled', reason: 'case_closed' } });
    change.remove.push(...(await replan(trx, item, now)).remove);
    refresh.push(...(await markStale(trx, { type: ITEM_SUBJECT, id }, now)));
  }
  return { ids: open.map((r) => r.id), change };
}

/** Open items of a case: what closing it would cancel (the close confirmation says how many). */
export async function openItemsOfCase(db: Executor, caseId: number): Promise<number> {
  const r = await db.selectFrom('action_items').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).where('state', '=', 'open').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** New settings apply at once: every open item of the group is re-planned in the same transaction. */
export async function updateReminderSettings(ctx: ServiceContext, scope: Scope, change: { before: ReminderSettings; after: ReminderSettings }): Promise<Mutation<{ items: number }>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  const { before, after: settings } = change;
  const result = await mutate(ctx, async (trx) => {
    await saveReminderSettings(trx, scope.group.id, settings);
    await syncOverdueSchedule(trx, scope.group, now, settings);
    await record(trx, { teamId: ctx.teamId, groupId: scope.group.id, actor: ctx.userId }, { kind: 'reminders.settings', before, after: settings });
    const { items, ...change } = await replanOwnedBy(trx, scope.group.id, now, 'all');
    return { items, change };
  });
  if (result.duplicate) return result;
  await applySchedule(ctx.outbox, result.value.change);
  return { duplicate: false, value: { items: result.value.items } };
}
