import { findItemRow, listItems, type ItemFilter, type ItemListRow } from '../db/action-items.repo.js';
import { countCaseEvents, listCaseEvents } from '../db/audit.repo.js';
import type { AuditEvent } from '../db/audit.table.js';
import { countCases, listCases, type CaseFilter, type CaseListRow } from '../db/cases.repo.js';
import type { CaseRow } from '../db/cases.table.js';
import type { Executor } from '../db/database.js';
import { listMembers, type MemberWithUnit } from '../db/members.repo.js';
import { moneyByYear, moneyEntries, moneyTotals, type MoneyTotal } from '../db/money.repo.js';
import type { MoneyEntry } from '../db/money.table.js';

export { moneyByYear, moneyEntries, moneyTotals };
import { reminderSettings } from '../db/reminder-settings.repo.js';
import { findUnitById, findUnitByName, listUnits } from '../db/units.repo.js';
import type { Unit } from '../db/units.table.js';
import type { ReminderSettings } from '../domain/reminder-settings.js';
import { withItemNumbers } from '../features/items/timeline.js';
import type { Scope } from './scope.js';

/**
 * What commands and forms read, after they have the scope their reader is allowed (see
 * scope.ts, caseForActor, itemForActor): each read is bound to that group, so a command
 * cannot reach another group's rows by passing an id.
 */

export function unitsOf(db: Executor, scope: Scope): Promise<Unit[]> {
  return listUnits(db, scope.group.id);
}

/** The group's units, each saying whether its named contact has left the group (its members then hear its items). */
export async function unitsWithContacts(db: Executor, scope: Scope): Promise<(Unit & { contactGone: boolean })[]> {
  const units = await listUnits(db, scope.group.id);
  const contacts = units.map((u) => u.contact_user_id).filter((c): c is string => c !== null);
  const members = contacts.length ? await db.selectFrom('members').select('user_id').where('group_id', '=', scope.group.id).where('user_id', 'in', contacts).execute() : [];
  const present = new Set(members.map((r) => r.user_id));
  return units.map((u) => ({ ...u, contactGone: u.contact_user_id !== null && !present.has(u.contact_user_id) }));
}

export function unitNamed(db: Executor, scope: Scope, name: string): Promise<Unit | undefined> {
  return findUnitByName(db, scope.group.id, name);
}

/** The group's unit with this id; undefined for another group's (a forged form value). */
export async function unitOf(db: Executor, scope: Scope, id: number): Promise<Unit | undefined> {
  const unit = await findUnitById(db, id);
  return unit && unit.group_id === scope.group.id ? unit : undefined;
}

export function membersOf(db: Executor, scope: Scope): Promise<MemberWithUnit[]> {
  return listMembers(db, scope.group.id);
}

export async function casesOf(db: Executor, scope: Scope, filter: Omit<CaseFilter, 'limit'>, limit: number): Promise<{ rows: CaseListRow[]; total: number }> {
  const [rows, total] = await Promise.all([listCases(db, scope.group.id, { ...filter, limit }), countCases(db, scope.group.id, filter)]);
  return { rows, total };
}

/** The newest `limit` timeline entries of a case, and how many there are in all. */
export async function caseTimeline(db: Executor, c: CaseRow, limit: number): Promise<{ events: AuditEvent[]; total: number }> {
  const [events, total] = await Promise.all([listCaseEvents(db, c.id, limit), countCaseEvents(db, c.id)]);
  return { events: await withItemNumbers(db, events), total };
}

/** Money entries a card lists under the totals (the rest: `/case money REF`). */
export const CARD_MONEY_ENTRIES = 3;

/** What the case card shows besides the case: money totals and latest entries, the latest timeline entries, its unit. */
export async function caseCardParts(db: Executor, c: CaseRow): Promise<{ totals: MoneyTotal[]; moneyEntries: MoneyEntry[]; events: AuditEvent[]; unit: Unit | undefined }> {
  const [totals, entries, events, unit] = await Promise.all([
    moneyTotals(db, c.id),
    moneyEntries(db, c.id, CARD_MONEY_ENTRIES),
    listCaseEvents(db, c.id, 5),
    c.origin_unit_id ? findUnitById(db, c.origin_unit_id) : undefined,
  ]);
  return { totals, moneyEntries: entries, events: await withItemNumbers(db, events), unit };
}

export function itemsMatching(db: Executor, f: ItemFilter): Promise<ItemListRow[]> {
  return listItems(db, f);
}

/** An item with its case reference and unit name, as lists and cards show it. */
export function itemRow(db: Executor, id: number): Promise<ItemListRow | undefined> {
  return findItemRow(db, id);
}

export function reminderSettingsOf(db: Executor, scope: Scope): Promise<ReminderSettings> {
  return reminderSettings(db, scope.group.id);
}
