import type { Trx } from '../db/database.js';
import { quote } from '../lib/text.js';
import type { Group, GroupUpdate } from '../db/groups.table.js';
import { findGroupByChannel, findGroupByPrefix, insertGroup, lockGroup, updateGroup } from '../db/groups.repo.js';
import { clearUnitFromMembers, countCoordinators, deleteMember, findMember, insertMember, updateMember } from '../db/members.repo.js';
import { findUnitByName, insertUnit, updateUnit } from '../db/units.repo.js';
import type { Unit } from '../db/units.table.js';
import { record } from '../features/timeline.js';
import type { Role } from '../domain/roles.js';
import { Conflict, NotFound } from '../errors.js';
import { replanOwnedBy, type Owners } from './reminder-planner.js';
import { applySchedule } from '../platform/outbox/scheduler.js';
import { authorize, mutate, type Actor, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';
import { syncOverdueSchedule } from '../features/items/overdue-schedule.js';
import { syncDigestSchedule } from '../features/digest/weekly.js';

export interface GroupSettings {
  name: string;
  case_prefix: string;
  time_zone: string;
  currency: string;
  announce_channel_id: string | null;
  locale: string;
}

/**
 * A change that may change who hears an item's reminders (a member removed or moved, a unit's
 * contact or members changed): the items of the owners it touched are planned again in the
 * same transaction, and the schedule in Redis is updated after the commit.
 */
async function changeRecipients<T>(ctx: ServiceContext, scope: Scope, run: (trx: Trx) => Promise<{ value: T; owners: Owners }>): Promise<Mutation<T>> {
  const now = ctx.clock.now();
  const result = await mutate(ctx, async (trx) => {
    const { value, owners } = await run(trx);
    const { items: _items, ...change } = await replanOwnedBy(trx, scope.group.id, now, owners);
    return { value, change };
  });
  if (result.duplicate) return result;
  await applySchedule(ctx.outbox, result.value.change);
  return { duplicate: false, value: result.value.value };
}

/** Where a group's audit entry belongs: the group, on no case. */
const onGroup = (actor: Actor, groupId: number) => ({ teamId: actor.teamId, groupId, actor: actor.userId });

async function assertPrefixFree(trx: Trx, teamId: string, prefix: string, groupId?: number): Promise<void> {
  const holder = await findGroupByPrefix(trx, teamId, prefix);
  if (holder && holder.id !== groupId) throw new Conflict((m) => m.prefixTaken(prefix));
}

/** Binds the channel as a group; whoever runs it becomes its first coordinator. */
export function setupGroup(ctx: ServiceContext, channelId: string, s: GroupSettings): Promise<Mutation<Group>> {
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    const existing = await findGroupByChannel(trx, ctx.teamId, channelId);
    if (existing) throw new Conflict((m) => m.alreadyGroup(quote(existing.name)));
    await assertPrefixFree(trx, ctx.teamId, s.case_prefix);
    const group = await insertGroup(trx, { ...s, team_id: ctx.teamId, channel_id: channelId, created_by: ctx.userId });
    await insertMember(trx, { team_id: ctx.teamId, group_id: group.id, user_id: ctx.userId, role: 'coordinator', unit_id: null });
    await record(trx, onGroup(ctx, group.id), { kind: 'group.setup', before: null, after: { ...s, coordinator: ctx.userId } });
    await syncOverdueSchedule(trx, group, now);
    await syncDigestSchedule(trx, group, now);
    return group;
  });
}

export function updateSettings(ctx: ServiceContext, scope: Scope, patch: Partial<GroupSettings>): Promise<Mutation<{ group: Group; changed: string[] }>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    const g = await lockGroup(trx, scope.group.id);
    const changed = (Object.keys(patch) as (keyof GroupSettings)[]).filter((k) => patch[k] !== undefined && patch[k] !== g[k]);
    if (changed.length === 0) return { group: g, changed };
    if (patch.case_prefix && changed.includes('case_prefix')) {
      const hasCases = await trx.selectFrom('cases').select('id').where('group_id', '=', g.id).limit(1).executeTakeFirst();
      if (hasCases) throw new Conflict((m) => m.prefixLocked);
      await assertPrefixFree(trx, ctx.teamId, patch.case_prefix, g.id);
    }
    const update: GroupUpdate = Object.fromEntries(changed.map((k) => [k, patch[k]]));
    const group = await updateGroup(trx, g.id, update);
    await record(trx, onGroup(ctx, g.id), { kind: 'group.settings', before: Object.fromEntries(changed.map((k) => [k, g[k]])), after: update });
    // The daily overdue reminder and the weekly digest keep their local times in the group's (new) zone.
    if (changed.includes('time_zone')) {
      await syncOverdueSchedule(trx, group, now);
      await syncDigestSchedule(trx, group, now);
    }
    return { group, changed };
  });
}

async function requireUnit(trx: Trx, groupId: number, name: string): Promise<Unit> {
  const unit = await findUnitByName(trx, groupId, name);
  if (!unit) throw new NotFound((m) => m.unitNotFound(quote(name)));
  return unit;
}

export function addUnit(ctx: Reader, scope: Scope, name: string, contact: string | null): Promise<Mutation<Unit>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    if (await findUnitByName(trx, scope.group.id, name)) throw new Conflict((m) => m.unitExists(quote(name)));
    const unit = await insertUnit(trx, { team_id: ctx.teamId, group_id: scope.group.id, name, contact_user_id: contact });
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'unit.added', before: null, after: { id: unit.id, name, contact_user_id: contact } });
    return unit;
  });
}

export function renameUnit(ctx: Reader, scope: Scope, from: string, to: string): Promise<Mutation<Unit>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    const unit = await requireUnit(trx, scope.group.id, from);
    const clash = await findUnitByName(trx, scope.group.id, to);
    if (clash && clash.id !== unit.id) throw new Conflict((m) => m.unitExists(quote(to)));
    const renamed = await updateUnit(trx, unit.id, { name: to });
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'unit.renamed', before: { id: unit.id, name: unit.name }, after: { id: unit.id, name: to } });
    return renamed;
  });
}

export function setUnitContact(ctx: ServiceContext, scope: Scope, name: string, contact: string | null): Promise<Mutation<Unit>> {
  authorize(scope, 'govern');
  return changeRecipients(ctx, scope, async (trx) => {
    const unit = await requireUnit(trx, scope.group.id, name);
    const updated = await updateUnit(trx, unit.id, { contact_user_id: contact });
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'unit.contact', before: { id: unit.id, contact_user_id: unit.contact_user_id }, after: { id: unit.id, contact_user_id: contact } });
    return { value: updated, owners: { unitIds: [unit.id] } };
  });
}

/** Archives the unit (cases keep pointing at it for history); its members become unit-less. */
export function removeUnit(ctx: ServiceContext, scope: Scope, name: string): Promise<Mutation<Unit>> {
  authorize(scope, 'govern');
  return changeRecipients(ctx, scope, async (trx) => {
    const unit = await requireUnit(trx, scope.group.id, name);
    await clearUnitFromMembers(trx, unit.id);
    const archived = await updateUnit(trx, unit.id, { archived_at: new Date() });
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'unit.removed', before: { id: unit.id, name: unit.name }, after: null });
    return { value: archived, owners: { unitIds: [unit.id] } };
  });
}

export interface MemberChange {
  role?: Role;
  unitName?: string | null;
}

async function unitIdFor(trx: Trx, groupId: number, unitName: string | null | undefined): Promise<number | null | undefined> {
  if (unitName === undefined) return undefined;
  if (unitName === null) return null;
  return (await requireUnit(trx, groupId, unitName)).id;
}

export function addMembers(ctx: ServiceContext, scope: Scope, userIds: string[], change: MemberChange): Promise<Mutation<{ added: string[]; existing: string[] }>> {
  authorize(scope, 'govern');
  return changeRecipients(ctx, scope, async (trx) => {
    await lockGroup(trx, scope.group.id);
    const unitId = (await unitIdFor(trx, scope.group.id, change.unitName)) ?? null;
    const role = change.role ?? 'member';
    const added: string[] = [];
    const existing: string[] = [];
    for (const userId of new Set(userIds)) {
      if (await findMember(trx, scope.group.id, userId)) {
        existing.push(userId);
        continue;
      }
      await insertMember(trx, { team_id: ctx.teamId, group_id: scope.group.id, user_id: userId, role, unit_id: unitId });
      await record(trx, onGroup(ctx, scope.group.id), { kind: 'member.added', before: null, after: { user_id: userId, role, unit_id: unitId } });
      added.push(userId);
    }
    // Someone added back hears their own items again; a unit's new member hears its items.
    return { value: { added, existing }, owners: { userIds: added, unitIds: added.length && unitId !== null ? [unitId] : [] } };
  });
}

export function setMember(ctx: ServiceContext, scope: Scope, userId: string, change: MemberChange): Promise<Mutation<{ changed: boolean }>> {
  authorize(scope, 'govern');
  return changeRecipients<{ changed: boolean }>(ctx, scope, async (trx) => {
    await lockGroup(trx, scope.group.id);
    const member = await findMember(trx, scope.group.id, userId);
    if (!member) throw new NotFound((m) => m.memberNotFound(userId));
    const unitId = await unitIdFor(trx, scope.group.id, change.unitName);
    const patch: { role?: Role; unit_id?: number | null } = {};
    if (change.role && change.role !== member.role) patch.role = change.role;
    if (unitId !== undefined && unitId !== member.unit_id) patch.unit_id = unitId;
    if (Object.keys(patch).length === 0) return { value: { changed: false }, owners: {} };
    if (member.role === 'coordinator' && patch.role && (await countCoordinators(trx, scope.group.id)) <= 1) {
      throw new Conflict((m) => m.lastCoordinator);
    }
    await updateMember(trx, member.id, patch);
    const before = { user_id: userId, ...(patch.role ? { role: member.role } : {}), ...('unit_id' in patch ? { unit_id: member.unit_id } : {}) };
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'member.updated', before: before, after: { user_id: userId, ...patch } });
    const units = 'unit_id' in patch ? [member.unit_id, patch.unit_id].filter((u): u is number => u != null) : [];
    return { value: { changed: true }, owners: { unitIds: units } };
  });
}

export function removeMember(ctx: ServiceContext, scope: Scope, userId: string): Promise<Mutation<void>> {
  authorize(scope, 'govern');
  return changeRecipients(ctx, scope, async (trx) => {
    await lockGroup(trx, scope.group.id);
    const member = await findMember(trx, scope.group.id, userId);
    if (!member) throw new NotFound((m) => m.memberNotFound(userId));
    if (member.role === 'coordinator' && (await countCoordinators(trx, scope.group.id)) <= 1) throw new Conflict((m) => m.lastCoordinator);
    await deleteMember(trx, member.id);
    await record(trx, onGroup(ctx, scope.group.id), { kind: 'member.removed', before: { user_id: userId, role: member.role, unit_id: member.unit_id }, after: null });
    // Their own items, their unit's, and those of units they were the contact of: nobody outside the group hears of them.
    const contactOf = await trx.selectFrom('units').select('id').where('group_id', '=', scope.group.id).where('contact_user_id', '=', userId).execute();
    return { value: undefined, owners: { userIds: [userId], unitIds: [...(member.unit_id ? [member.unit_id] : []), ...contactOf.map((u) => u.id)] } };
  });
}
