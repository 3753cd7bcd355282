import type { Trx } from '../db/database.js';
import type { CaseRow } from '../db/cases.table.js';
import { findCaseByRef, insertCase, lockCaseByRef, nextCaseSeq, updateCase, type CasePatch } from '../db/cases.repo.js';
import { insertMoney } from '../db/money.repo.js';
import { onCase } from '../features/cases/timeline.js';
import { record } from '../features/timeline.js';
import { canTransition, type Outcome, type SettableStatus } from '../domain/case-status.js';
import { formatRef } from '../domain/case-ref.js';
import type { MoneyKind } from '../domain/money.js';
import type { Ability } from '../domain/roles.js';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { quote } from '../lib/text.js';
import { dayStartIn, formatInstant, todayIn } from '../domain/time.js';
import { authorize, mutate, scopeForGroupId, type Actor, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';
import { closedPostRows, openedPostRow } from '../features/cases/post-kinds.js';
import { insertOutbox } from '../platform/outbox/outbox.repo.js';
import { applySchedule } from '../platform/outbox/scheduler.js';
import { cancelItemsOfCase } from './actions.service.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';

/** The fields a person edits directly (plan, status, supervision and money have their own paths). */
export const EDITABLE = ['title', 'subject', 'category', 'origin_unit_id', 'opened_on', 'at_large_since', 'last_location'] as const;
export type EditableField = (typeof EDITABLE)[number];
export type CaseEdit = Partial<Pick<CaseRow, EditableField>>;

export interface MoneyInput {
  kind: MoneyKind;
  amount: string;
  currency: string;
  occurredOn: string;
  note: string | null;
  /** Corrects an earlier entry: the only way to record a negative amount. */
  correction: boolean;
}

export interface OpenCaseInput extends CaseEdit {
  title: string;
  /** The reference it had in the ledger it was imported from. */
  source_ref?: string | null;
  opened_on: string;
  plan?: string | null;
  supervisor_user_id?: string | null;
  involved?: { amount: string; currency: string } | null;
}

export interface CaseContext {
  scope: Scope;
  case: CaseRow;
}

/** Finds a case by reference for someone allowed to `ability` it, whichever channel they are in. */
export async function caseForActor({ db, teamId, userId }: Reader, ref: string, ability: Ability): Promise<CaseContext> {
  const found = await findCaseByRef(db, teamId, ref);
  if (!found) throw new NotFound((m) => m.caseNotFound(quote(ref)));
  const scope = await scopeForGroupId(db, found.group_id, userId);
  // Someone outside the group learns nothing of it: not its name, not that the reference exists.
  if (!scope.member) throw new NotFound((m) => m.caseNotFound(quote(ref)));
  authorize(scope, ability);
  return { scope, case: found };
}

/**
 * Runs `fn` on the locked case row in one transaction with the request key: the shape of
 * every change to an existing case.
 */
async function changeCase<T>(ctx: Reader, ref: string, ability: Ability, fn: (trx: Trx, c: CaseRow, scope: Scope) => Promise<T>): Promise<Mutation<T>> {
  const { scope } = await caseForActor(ctx, ref, ability);
  return mutate(ctx, async (trx) => {
    const locked = await lockCaseByRef(trx, ctx.teamId, ref);
    if (!locked) throw new NotFound((m) => m.caseNotFound(quote(ref)));
    return fn(trx, locked, scope);
  });
}


/** Where a subject was found: region (province, state or country) and city, as the group spells them. */
export interface Place {
  region: string | null;
  city: string | null;
}

/**
 * The earliest moment a new status or a close of `c` may be dated: not before the change it
 * follows (a close dated 2019-09-22 00:00 would land before the 07:24 arrest it ends), nor
 * before the day the case was opened. A case untouched since it was entered counts from its
 * opening day, so an arrest at 07:24 entered on a case typed in at 14:00 that day is in order.
 */
export function earliestChange(c: CaseRow, zone: string): { at: Date; opening: boolean } {
  const opened = dayStartIn(c.opened_on, zone);
  const untouched = c.status === 'open' && !c.located_at && !c.in_custody_at && !c.closed_at;
  return untouched || c.status_changed_at < opened ? { at: opened, opening: true } : { at: c.status_changed_at, opening: false };
}

/** Refuses a change dated before the one it follows: the ledger's order is the order things happened. */
export function assertInOrder(c: CaseRow, at: Date, zone: string): void {
  const earliest = earliestChange(c, zone);
  if (at >= earliest.at) return;
  throw new InvalidInput((m) => (earliest.opening ? m.datedBeforeOpened(c.ref, c.opened_on) : m.datedTooEarly(c.ref, formatInstant(earliest.at, zone))));
}

/** A case's region as the group already spells it (Sichuan, sichuan), so counts by region add up. */
async function spelledAsBefore(trx: Trx, groupId: number, region: string | null): Promise<string | null> {
  if (!region) return null;
  const known = await trx
    .selectFrom('cases')
    .select('found_region')
    .where('group_id', '=', groupId)
    .where((eb) => eb(eb.fn('lower', ['found_region']), '=', region.toLowerCase()))
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return known?.found_region ?? region;
}

async function addMoneyIn(trx: Trx, actor: Actor, c: CaseRow, zone: string, money: MoneyInput): Promise<void> {
  const entry = await insertMoney(trx, {
    team_id: actor.teamId,
    case_id: c.id,
    kind: money.kind,
    amount: money.amount,
    currency: money.currency,
    occurred_on: money.occurredOn,
    note: money.note,
    correction: money.correction,
    created_by: actor.userId,
  });
  await record(trx, onCase(c, actor.userId, dayStartIn(money.occurredOn, zone)), {
    kind: 'money.added',
    before: null,
    after: { id: entry.id, kind: money.kind, amount: money.amount, currency: money.currency, occurred_on: money.occurredOn, note: money.note, ...(money.correction ? { correction: true } : {}) },
  });
}

/** A change to a case, and the posts it asked for (scheduled by the caller once it committed). */
export interface Posted {
  case: CaseRow;
  outbox: Scheduled[];
}

export async function openCase(ctx: ServiceContext, scope: Scope, input: OpenCaseInput): Promise<Mutation<Posted>> {
  authorize(scope, 'write');
  if (input.supervisor_user_id) authorize(scope, 'govern');
  return mutate(ctx, (trx) => openCaseIn(trx, ctx, scope, input));
}

/**
 * Opens a case in the caller's transaction (authorized by the caller): numbered by the year it
 * was opened, its opening on the timeline dated that day when it lies in the past. `post`
 * false writes no channel post (an import of many cases at once).
 */
export async function openCaseIn(trx: Trx, ctx: ServiceContext, scope: Scope, input: OpenCaseInput, o: { post: boolean } = { post: true }): Promise<Posted> {
  const now = ctx.clock.now();
  const year = Number(input.opened_on.slice(0, 4));
  const zone = scope.group.time_zone;
  // A case entered for a past day was open since then: its opening and status say so.
  const since = input.opened_on < todayIn(zone, now) ? dayStartIn(input.opened_on, zone) : now;
  const seq = await nextCaseSeq(trx, scope.group.id, year);
  const { involved, plan, supervisor_user_id, ...fields } = input;
  const c = await insertCase(trx, {
    ...fields,
    team_id: ctx.teamId,
    group_id: scope.group.id,
    ref: formatRef(scope.group.case_prefix, year, seq),
    year,
    seq,
    plan: plan ?? null,
    plan_version: plan ? 1 : 0,
    supervisor_user_id: supervisor_user_id ?? null,
    status: 'open',
    status_changed_at: since,
    created_by: ctx.userId,
  });
  await record(trx, onCase(c, ctx.userId, since < now ? since : undefined), { kind: 'case.opened', before: null, after: { ref: c.ref, ...fields, plan: plan ?? null, supervisor_user_id: c.supervisor_user_id } });
  if (involved) await addMoneyIn(trx, ctx, c, zone, { kind: 'involved', ...involved, occurredOn: input.opened_on, note: null, correction: false });
  return { case: c, outbox: o.post ? await insertOutbox(trx, [openedPostRow(scope.group, c, ctx.userId, now)]) : [] };
}

/** A case as a ledger file has it: opened, perhaps moved on or closed, with money, each on its own date. */
export interface ImportedCase extends OpenCaseInput {
  source_ref: string | null;
  /** Where it stands, if not open (closed cases: `close`). */
  status: { to: 'located' | 'in_custody' | 'on_hold'; at: Date } | null;
  close: { outcome: Outcome; at: Date } | null;
  place: Place;
  money: { kind: MoneyKind; amount: string; currency: string; occurredOn: string }[];
}

/**
 * Enters a case from an existing ledger in the caller's transaction: the opening, each money
 * total, the status and the close, each on the timeline at the time it happened (the caller
 * checked the order of the dates). Nothing is posted: an import is not news.
 */
export async function importCaseIn(trx: Trx, ctx: ServiceContext, scope: Scope, row: ImportedCase): Promise<CaseRow> {
  const { status, close, place, money, ...input } = row;
  const zone = scope.group.time_zone;
  let c = (await openCaseIn(trx, ctx, scope, input, { post: false })).case;
  for (const entry of money) await addMoneyIn(trx, ctx, c, zone, { ...entry, note: null, correction: false });
  if (status) {
    const found = await foundAt(trx, c, !close && status.to !== 'on_hold' ? place : undefined);
    const patch: CasePatch = { status: status.to, status_changed_at: status.at, ...found.patch };
    if (status.to === 'located') patch.located_at = status.at;
    if (status.to === 'in_custody') patch.in_custody_at = status.at;
    c = await updateCase(trx, c.id, patch);
    await record(trx, onCase(c, ctx.userId, status.at), { kind: 'case.status', before: { status: 'open' }, after: { status: status.to, at: status.at.toISOString(), ...found.recorded } });
  }
  if (close) {
    const before = c.status;
    const found = await foundAt(trx, c, place);
    c = await updateCase(trx, c.id, { status: 'closed', outcome: close.outcome, closed_at: close.at, status_changed_at: close.at, ...found.patch });
    await record(trx, onCase(c, ctx.userId, close.at), { kind: 'case.closed', before: { status: before }, after: { status: 'closed', outcome: close.outcome, note: null, at: close.at.toISOString(), ...found.recorded, cancelled_items: [] } });
  }
  return c;
}

/**
 * Applies the fields that differ, and a new supervisor when one is given (coordinators only),
 * in one transaction; returns the names of the fields that changed (none: nothing written).
 */
export function editCase(
  ctx: Reader,
  ref: string,
  edit: CaseEdit & { supervisor_user_id?: string | null },
  /** The updated_at the editor saw (a form): refuses, rather than overwrites, a change made meanwhile. */
  expectedVersion?: string,
): Promise<Mutation<{ case: CaseRow; changed: (EditableField | 'supervisor_user_id')[] }>> {
  return changeCase(ctx, ref, 'write', async (trx, c, scope) => {
    if (expectedVersion && c.updated_at.toISOString() !== expectedVersion) throw new Conflict((m) => m.changedMeanwhile(ref));
    const changed = EDITABLE.filter((f) => edit[f] !== undefined && edit[f] !== c[f]);
    const supervisorChanged = edit.supervisor_user_id !== undefined && edit.supervisor_user_id !== c.supervisor_user_id;
    if (supervisorChanged) assertMayChangeSupervision(scope);
    let updated = c;
    if (changed.length) {
      const before = Object.fromEntries(changed.map((f) => [f, c[f]]));
      const after = Object.fromEntries(changed.map((f) => [f, edit[f]]));
      updated = await updateCase(trx, c.id, after as CasePatch);
      await record(trx, onCase(c, ctx.userId), { kind: 'case.edited', before, after });
    }
    if (supervisorChanged) {
      updated = await updateCase(trx, c.id, { supervisor_user_id: edit.supervisor_user_id! });
      await record(trx, onCase(c, ctx.userId), { kind: 'case.supervision', before: { supervisor_user_id: c.supervisor_user_id }, after: { supervisor_user_id: edit.supervisor_user_id ?? null } });
    }
    return { case: updated, changed: supervisorChanged ? [...changed, 'supervisor_user_id' as const] : changed };
  });
}

export function addNote(ctx: Reader, ref: string, text: string): Promise<Mutation<CaseRow>> {
  return changeCase(ctx, ref, 'write', async (trx, c) => {
    await record(trx, onCase(c, ctx.userId), { kind: 'case.note', before: null, after: { text } });
    return c;
  });
}

/** Every plan is a new version; the timeline keeps the old text, so nothing is ever lost. */
export function setPlan(ctx: Reader, ref: string, plan: string): Promise<Mutation<CaseRow>> {
  return changeCase(ctx, ref, 'write', async (trx, c) => {
    const updated = await updateCase(trx, c.id, { plan, plan_version: c.plan_version + 1 });
    await record(trx, onCase(c, ctx.userId), { kind: 'case.plan', before: { plan: c.plan, version: c.plan_version }, after: { plan, version: updated.plan_version } });
    return updated;
  });
}

/** Where the subject was found, when one is given: on the case, and in the entry's record. */
async function foundAt(trx: Trx, c: CaseRow, place: Place | undefined): Promise<{ patch: CasePatch; recorded: { region?: string; city?: string } }> {
  if (!place || (!place.region && !place.city)) return { patch: {}, recorded: {} };
  const region = await spelledAsBefore(trx, c.group_id, place.region);
  return {
    patch: { found_region: region, found_city: place.city },
    recorded: { ...(region ? { region } : {}), ...(place.city ? { city: place.city } : {}) },
  };
}

/**
 * `at` is when it happened (an arrest reported late): the entry is dated so, and stamped with
 * when it was recorded. A place is where the subject was found (located or in custody).
 */
export function setStatus(ctx: Reader, ref: string, to: SettableStatus, at: Date, place?: Place): Promise<Mutation<{ case: CaseRow; from: CaseRow['status'] }>> {
  return changeCase(ctx, ref, 'write', async (trx, c, scope) => {
    if (c.status === to) throw new Conflict((m) => m.sameStatus(ref, to));
    if (!canTransition(c.status, to)) throw new InvalidInput((m) => m.badTransition(c.status, to));
    assertInOrder(c, at, scope.group.time_zone);
    const found = await foundAt(trx, c, to === 'located' || to === 'in_custody' ? place : undefined);
    const patch: CasePatch = { status: to, status_changed_at: at, ...found.patch };
    if (to === 'located') patch.located_at = at;
    if (to === 'in_custody') patch.in_custody_at = at;
    const updated = await updateCase(trx, c.id, patch);
    await record(trx, onCase(c, ctx.userId, at), { kind: 'case.status', before: { status: c.status }, after: { status: to, at: at.toISOString(), ...found.recorded } });
    return { case: updated, from: c.status };
  });
}

export function setSupervisor(ctx: Reader, ref: string, userId: string | null): Promise<Mutation<CaseRow>> {
  return changeCase(ctx, ref, 'govern', async (trx, c) => {
    if (c.supervisor_user_id === userId) return c;
    const updated = await updateCase(trx, c.id, { supervisor_user_id: userId });
    await record(trx, onCase(c, ctx.userId), { kind: 'case.supervision', before: { supervisor_user_id: c.supervisor_user_id }, after: { supervisor_user_id: userId } });
    return updated;
  });
}

export interface Closed extends Posted {
  /** The case's open items, cancelled with it. */
  cancelledItems: number[];
}

/** Closes the case, and its open items with it (their reminders cancelled): one transaction. */
export async function closeCase(ctx: ServiceContext, ref: string, close: { outcome: Outcome; note: string | null; at: Date; place?: Place }): Promise<Mutation<Closed>> {
  const now = ctx.clock.now();
  const result = await changeCase(ctx, ref, 'govern', async (trx, c, scope) => {
    if (c.status === 'closed') throw new Conflict((m) => m.alreadyClosed(ref));
    assertInOrder(c, close.at, scope.group.time_zone);
    const found = await foundAt(trx, c, close.place);
    const updated = await updateCase(trx, c.id, { status: 'closed', outcome: close.outcome, closed_at: close.at, status_changed_at: close.at, ...found.patch });
    const items = await cancelItemsOfCase(trx, ctx, c);
    await record(trx, onCase(c, ctx.userId, close.at), {
      kind: 'case.closed',
      before: { status: c.status },
      after: { status: 'closed', outcome: close.outcome, note: close.note, at: close.at.toISOString(), ...found.recorded, cancelled_items: items.ids },
    });
    return { case: updated, outbox: await insertOutbox(trx, closedPostRows(scope.group, updated, ctx.userId, now)), cancelledItems: items.ids, change: items.change };
  });
  if (result.duplicate) return result;
  const { change, ...closed } = result.value;
  await applySchedule(ctx.outbox, change);
  return { duplicate: false, value: closed };
}

/**
 * Reopens the case. Its items cancelled at the close stay cancelled (some were done with, and
 * only a person knows which matter still stands): answers their numbers, so the reply can say
 * how to restore one.
 */
export function reopenCase(ctx: ServiceContext, ref: string, reason: string | null): Promise<Mutation<{ case: CaseRow; cancelledAtClose: number[] }>> {
  const now = ctx.clock.now();
  return changeCase(ctx, ref, 'govern', async (trx, c) => {
    if (c.status !== 'closed') throw new Conflict((m) => m.notClosed(ref));
    const updated = await updateCase(trx, c.id, { status: 'open', outcome: null, closed_at: null, status_changed_at: now });
    await record(trx, onCase(c, ctx.userId), { kind: 'case.reopened', before: { status: 'closed', outcome: c.outcome, closed_at: c.closed_at?.toISOString() }, after: { status: 'open', reason } });
    return { case: updated, cancelledAtClose: await stillCancelledFromClose(trx, c.id) };
  });
}

/** The numbers of the items the case's last close cancelled (its timeline entry lists their ids) that nobody has reopened since. */
async function stillCancelledFromClose(trx: Trx, caseId: number): Promise<number[]> {
  const last = await trx.selectFrom('audit_events').select('after').where('case_id', '=', caseId).where('kind', '=', 'case.closed').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const ids = (last?.after as { cancelled_items?: number[] } | null)?.cancelled_items ?? [];
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('action_items').select('seq').where('id', 'in', ids).where('state', '=', 'cancelled').orderBy('seq').execute();
  return rows.map((r) => r.seq);
}

export function addMoney(ctx: Reader, ref: string, money: MoneyInput): Promise<Mutation<CaseRow>> {
  return changeCase(ctx, ref, 'write', async (trx, c, scope) => {
    await addMoneyIn(trx, ctx, c, scope.group.time_zone, money);
    return c;
  });
}

/** Supervision is a coordinator's decision; the edit form may carry it for anyone, so check here. */
export function assertMayChangeSupervision(scope: Scope): void {
  if (scope.member?.role !== 'coordinator') throw new Forbidden((m) => m.coordinatorsOnly);
}
