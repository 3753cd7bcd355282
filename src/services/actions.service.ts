import type { ActionItem } from '../db/action-items.table.js';
import { findItem, insertItem, lockItem, updateItem } from '../db/action-items.repo.js';
import { record, type TimelineEvent } from '../features/timeline.js';
import type { CaseRow } from '../db/cases.table.js';
import type { Db, Executor, Trx } from '../db/database.js';
import { findMember } from '../db/members.repo.js';
import { saveReminderSettings } from '../db/reminder-settings.repo.js';
import type { Snooze } from '../domain/action-item.js';
import { snoozeEnd } from '../domain/action-item.js';
import type { Clock } from '../domain/clock.js';
import type { ReminderSettings } from '../domain/reminder-settings.js';
import type { Ability } from '../domain/roles.js';
import { Conflict, NotFound } from '../errors.js';
import { replan, replanOwnedBy } from './reminder-planner.js';
import { applySchedule, type OutboxScheduler, type ScheduleChange } from '../platform/outbox/scheduler.js';
import { authorize, mutate, scopeForGroupId, type Actor, type Mutation, type Scope } from './scope.js';
import { syncOverdueSchedule } from '../features/items/overdue-schedule.js';

/** What item services need: storage, time, and the schedule to update after each commit. */
export interface ActionDeps {
  db: Db;
  clock: Clock;
  outbox: OutboxScheduler;
}

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

export async function itemForActor(db: Db, actor: Actor, id: number, ability: Ability): Promise<ItemContext> {
  const item = await findItem(db, id);
  if (!item || item.team_id !== actor.teamId) throw new NotFound((m) => m.itemNotFound(id));
  const scope = await scopeForGroupId(db, item.group_id, actor.userId);
  if (ability === 'write' && ownsItem(item, scope)) return { scope, item };
  authorize(scope, ability);
  return { scope, item };
}

/** An item's entries go on its case's timeline. */
const onItemCase = (actor: Actor, item: ActionItem) => ({ teamId: actor.teamId, groupId: item.group_id, caseId: item.case_id, actor: actor.userId });

const ownerJson = (i: { owner_user_id: string | null; owner_unit_id: number | null }) => ({ owner_user_id: i.owner_user_id, owner_unit_id: i.owner_unit_id });

/** Runs the change, writes its timeline entry, re-plans the reminders; then updates the schedule in Redis. */
async function finish<T extends { change: ScheduleChange }>(deps: ActionDeps, result: Mutation<T>): Promise<Mutation<T>> {
  if (!result.duplicate) await applySchedule(deps.outbox, result.value.change);
  return result;
}

export async function assertOwnerIsMember(db: Executor, scope: Scope, owner: Owner): Promise<void> {
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

export async function addItem(deps: ActionDeps, actor: Actor, scope: Scope, input: NewItemInput): Promise<Mutation<{ item: ActionItem; change: ScheduleChange }>> {
  authorize(scope, 'write');
  await assertOwnerIsMember(deps.db, scope, input.owner);
  const now = deps.clock.now();
  const result = await mutate(deps.db, actor, async (trx) => {
    const item = await insertItem(trx, {
      team_id: actor.teamId,
      group_id: scope.group.id,
      case_id: input.case.id,
      text: input.text,
      owner_user_id: 'userId' in input.owner ? input.owner.userId : null,
      owner_unit_id: 'unitId' in input.owner ? input.owner.unitId : null,
      due_at: input.dueAt,
      state: 'open',
      snoozed_until: null,
      closed_at: null,
      closed_by: null,
      created_by: actor.userId,
    });
    await record(trx, onItemCase(actor, item), { kind: 'action.added', before: null, after: { id: item.id, text: item.text, ...ownerJson(item), due_at: item.due_at.toISOString() } });
    return { item, change: await replan(trx, item, now) };
  });
  return finish(deps, result);
}

type ItemChange = { patch: Parameters<typeof updateItem>[2]; event: Extract<TimelineEvent, { kind: 'action.done' | 'action.cancelled' | 'action.reopened' | 'action.due' | 'action.reassigned' | 'action.snoozed' }> };

/** The shape of every change to an existing item: check, lock, change, record, re-plan. */
async function changeItem(
  deps: ActionDeps,
  actor: Actor,
  id: number,
  fn: (item: ActionItem, scope: Scope, trx: Trx) => ItemChange | Promise<ItemChange>,
): Promise<Mutation<{ item: ActionItem; before: ActionItem; change: ScheduleChange; scope: Scope }>> {
  const { scope } = await itemForActor(deps.db, actor, id, 'write');
  const now = deps.clock.now();
  const result = await mutate(deps.db, actor, async (trx) => {
    const locked = await lockItem(trx, id);
    if (!locked) throw new NotFound((m) => m.itemNotFound(id));
    const c = await fn(locked, scope, trx);
    const item = await updateItem(trx, id, c.patch);
    await record(trx, onItemCase(actor, locked), c.event);
    return { item, before: locked, change: await replan(trx, item, now), scope };
  });
  return finish(deps, result);
}

function requireOpen(item: ActionItem): void {
  if (item.state !== 'open') throw new Conflict((m) => m.itemNotOpen(item.id, item.state));
}

export function completeItem(deps: ActionDeps, actor: Actor, id: number) {
  return changeItem(deps, actor, id, (item) => {
    requireOpen(item);
    return { patch: { state: 'done', closed_at: deps.clock.now(), closed_by: actor.userId, snoozed_until: null }, event: { kind: 'action.done', before: { state: item.state }, after: { id, state: 'done' } } };
  });
}

export function cancelItem(deps: ActionDeps, actor: Actor, id: number) {
  return changeItem(deps, actor, id, (item) => {
    requireOpen(item);
    return { patch: { state: 'cancelled', closed_at: deps.clock.now(), closed_by: actor.userId, snoozed_until: null }, event: { kind: 'action.cancelled', before: { state: item.state }, after: { id, state: 'cancelled' } } };
  });
}

export function reopenItem(deps: ActionDeps, actor: Actor, id: number) {
  return changeItem(deps, actor, id, (item) => {
    if (item.state === 'open') throw new Conflict((m) => m.itemAlreadyOpen(id));
    return { patch: { state: 'open', closed_at: null, closed_by: null }, event: { kind: 'action.reopened', before: { state: item.state }, after: { id, state: 'open' } } };
  });
}

export function rescheduleItem(deps: ActionDeps, actor: Actor, id: number, dueAt: Date) {
  return changeItem(deps, actor, id, (item) => {
    requireOpen(item);
    return { patch: { due_at: dueAt, snoozed_until: null }, event: { kind: 'action.due', before: { due_at: item.due_at.toISOString() }, after: { id, due_at: dueAt.toISOString() } } };
  });
}

export function reassignItem(deps: ActionDeps, actor: Actor, id: number, owner: Owner) {
  return changeItem(deps, actor, id, async (item, scope, trx) => {
    requireOpen(item);
    await assertOwnerIsMember(trx, scope, owner);
    const next = { owner_user_id: 'userId' in owner ? owner.userId : null, owner_unit_id: 'unitId' in owner ? owner.unitId : null };
    return { patch: { ...next, snoozed_until: null }, event: { kind: 'action.reassigned', before: ownerJson(item), after: { id, ...next } } };
  });
}

export function snoozeItem(deps: ActionDeps, actor: Actor, id: number, snooze: Snooze) {
  return changeItem(deps, actor, id, (item, scope) => {
    requireOpen(item);
    const until = snoozeEnd(deps.clock.now(), snooze, scope.group.time_zone);
    return { patch: { snoozed_until: until }, event: { kind: 'action.snoozed', before: { snoozed_until: item.snoozed_until?.toISOString() ?? null }, after: { id, snooze, snoozed_until: until.toISOString() } } };
  });
}

/** New settings apply at once: every open item of the group is re-planned in the same transaction. */
export async function updateReminderSettings(deps: ActionDeps, actor: Actor, scope: Scope, before: ReminderSettings, settings: ReminderSettings): Promise<Mutation<{ items: number }>> {
  authorize(scope, 'govern');
  const now = deps.clock.now();
  const result = await mutate(deps.db, actor, async (trx) => {
    await saveReminderSettings(trx, scope.group.id, settings);
    await syncOverdueSchedule(trx, scope.group, now, settings);
    await record(trx, { teamId: actor.teamId, groupId: scope.group.id, actor: actor.userId }, { kind: 'reminders.settings', before, after: settings });
    const { items, ...change } = await replanOwnedBy(trx, scope.group.id, now, 'all');
    return { items, change };
  });
  if (result.duplicate) return result;
  await applySchedule(deps.outbox, result.value.change);
  return { duplicate: false, value: { items: result.value.items } };
}
