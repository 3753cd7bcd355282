import { dateIn, formatInstant } from '../domain/time.js';
import type { Messages } from '../i18n/en.js';
import { CASE_COLUMNS, TEXT_COLUMNS, csvBytes, defuse, moneyColumnsSorted, moneyHeader, type CaseColumn, type MoneyColumn } from './ledger-csv.js';
import { authorize, type ServiceContext, type Scope } from './scope.js';
import { formatItemNo } from '../domain/action-item.js';
import { minorUnits } from '../domain/money.js';

/** A stored total (numeric, four places) with the currency's own decimals: 70000.0000 CNY → 70000.00. */
function inMinorUnits(total: string, currency: string): string {
  const [int, frac = ''] = total.split('.');
  const digits = minorUnits(currency);
  const kept = frac.slice(0, digits).padEnd(digits, '0');
  return digits ? `${int}.${kept}` : int!;
}

/**
 * The group's ledger and its action items as CSV files (UTF-8 with a BOM), for readers of the
 * group. Rows name subjects: nothing here is logged.
 */

export interface CsvFile {
  bytes: Buffer;
  rows: number;
}

/** Every case of the group, oldest reference first, with its money totals per kind and currency. */
export async function exportCases(ctx: ServiceContext, scope: Scope, m: Messages): Promise<CsvFile> {
  authorize(scope, 'read');
  const zone = scope.group.time_zone;
  const cases = await ctx.db
    .selectFrom('cases as c')
    .leftJoin('units as u', 'u.id', 'c.origin_unit_id')
    .selectAll('c')
    .select('u.name as unit_name')
    .where('c.group_id', '=', scope.group.id)
    .orderBy('c.year')
    .orderBy('c.seq')
    .execute();
  const totals = await ctx.db
    .selectFrom('money_entries as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select((eb) => ['e.case_id', 'e.kind', 'e.currency', eb.fn.sum<string>('e.amount').as('total')])
    .where('c.group_id', '=', scope.group.id)
    .groupBy(['e.case_id', 'e.kind', 'e.currency'])
    .execute();
  const key = (c: MoneyColumn) => `${c.kind} ${c.currency}`;
  const columns = moneyColumnsSorted([...new Map(totals.map((t) => [key(t), { kind: t.kind, currency: t.currency }])).values()]);
  const byCase = new Map<number, Map<string, string>>();
  for (const t of totals) {
    const row = byCase.get(t.case_id) ?? new Map<string, string>();
    row.set(key(t), inMinorUnits(String(t.total), t.currency));
    byCase.set(t.case_id, row);
  }
  const header = [...CASE_COLUMNS.map((c) => m.csvColumns[c]), ...columns.map((c) => moneyHeader(c, m))];
  const rows = cases.map((c) => {
    const at = (d: Date | null) => (d ? formatInstant(d, zone) : null);
    const value: Record<CaseColumn, string | null> = {
      ref: c.ref,
      title: c.title,
      subject: c.subject,
      category: c.category,
      unit: c.unit_name,
      status: m.statusName(c.status),
      // Open since it was opened says nothing more than the opening date.
      statusSince: c.status === 'open' || c.status === 'closed' ? null : at(c.status_changed_at),
      outcome: c.outcome ? m.outcomeName(c.outcome) : null,
      opened: c.opened_on,
      since: c.at_large_since,
      closed: at(c.closed_at),
      region: c.found_region,
      city: c.found_city,
      location: c.last_location,
      supervisor: c.supervisor_user_id,
    };
    const money = byCase.get(c.id);
    return [...CASE_COLUMNS.map((col) => (TEXT_COLUMNS.has(col) && value[col] ? defuse(value[col]) : value[col])), ...columns.map((col) => money?.get(key(col)) ?? null)];
  });
  return { bytes: csvBytes([header, ...rows]), rows: rows.length };
}

/** Every action item of the group, by number. */
export async function exportItems(ctx: ServiceContext, scope: Scope, m: Messages): Promise<CsvFile> {
  authorize(scope, 'read');
  const zone = scope.group.time_zone;
  const items = await ctx.db
    .selectFrom('action_items as i')
    .innerJoin('cases as c', 'c.id', 'i.case_id')
    .leftJoin('units as u', 'u.id', 'i.owner_unit_id')
    .select(['i.seq', 'c.ref', 'i.text', 'i.owner_user_id', 'u.name as unit_name', 'i.due_at', 'i.state', 'i.closed_at'])
    .where('i.group_id', '=', scope.group.id)
    .orderBy('i.seq')
    .execute();
  const c = m.itemColumns;
  const header = [c.no, c.ref, c.text, c.owner, c.unit, c.due, c.state, c.closed];
  const rows = items.map((i) => [formatItemNo(i.seq), i.ref, defuse(i.text), i.owner_user_id, i.unit_name ? defuse(i.unit_name) : null, formatInstant(i.due_at, zone), m.actionStateName(i.state), i.closed_at ? formatInstant(i.closed_at, zone) : null]);
  return { bytes: csvBytes([header, ...rows]), rows: rows.length };
}

/** A file name that says what and when, in ASCII (Slack and every OS keep it as it is). */
export const exportFilename = (prefix: string, what: 'cases' | 'items', now: Date, zone: string) => `${prefix}-${what}-${dateIn(now, zone)}.csv`;
