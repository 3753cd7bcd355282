import { dateIn, formatInstant } from '../domain/time.js';
import type { Messages } from '../i18n/en.js';
import { CASE_COLUMNS, TEXT_COLUMNS, csvBytes, defuse, moneyColumnsSorted, moneyHeader, type CaseColumn, type MoneyColumn } from './ledger-csv.js';
import { authorize, type ServiceContext, type Scope } from './scope.js';
import { formatItemNo } from '../domain/action-item.js';
import { minorUnits } from '../domain/money.js';
import { describeEvent } from '../features/timeline.js';

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
export type ExportWhat = 'cases' | 'items' | 'money' | 'timeline' | 'members' | 'units' | 'meetings';
export const exportFilename = (prefix: string, what: ExportWhat, now: Date, zone: string) => `${prefix}-${what}-${dateIn(now, zone)}.csv`;

/**
 * Everything of a group as files, for a coordinator who leaves docket (`/docket export-all`):
 * the ledger and the items as above, every money entry, the whole timeline (each entry as
 * the group reads it, and as recorded), the people and units, and the meetings.
 */
export async function exportAll(ctx: ServiceContext, scope: Scope, m: Messages): Promise<{ what: ExportWhat; file: CsvFile }[]> {
  authorize(scope, 'govern');
  const g = scope.group;
  const zone = g.time_zone;
  const at = (d: Date | null) => (d ? formatInstant(d, zone) : null);
  const [cases, items, money, events, members, units, meetings] = await Promise.all([
    exportCases(ctx, scope, m),
    exportItems(ctx, scope, m),
    ctx.db
      .selectFrom('money_entries as e')
      .innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['c.ref', 'e.kind', 'e.amount', 'e.currency', 'e.occurred_on', 'e.note', 'e.correction', 'e.created_by', 'e.created_at'])
      .where('c.group_id', '=', g.id)
      .orderBy('e.id')
      .execute(),
    ctx.db.selectFrom('audit_events as e').leftJoin('cases as c', 'c.id', 'e.case_id').selectAll('e').select('c.ref').where('e.group_id', '=', g.id).orderBy('e.at').orderBy('e.id').execute(),
    ctx.db.selectFrom('members as p').leftJoin('units as u', 'u.id', 'p.unit_id').select(['p.user_id', 'p.role', 'u.name as unit_name']).where('p.group_id', '=', g.id).orderBy('p.user_id').execute(),
    ctx.db.selectFrom('units').selectAll().where('group_id', '=', g.id).orderBy('id').execute(),
    ctx.db.selectFrom('meetings').selectAll().where('group_id', '=', g.id).orderBy('seq').execute(),
  ]);
  const file = (rows: (string | null)[][]): CsvFile => ({ bytes: csvBytes(rows), rows: rows.length - 1 });
  return [
    { what: 'cases', file: cases },
    { what: 'items', file: items },
    { what: 'money', file: file([['ref', 'kind', 'amount', 'currency', 'date', 'note', 'correction', 'recorded_by', 'recorded_at'], ...money.map((e) => [e.ref, e.kind, e.amount, e.currency, e.occurred_on, e.note ? defuse(e.note) : null, e.correction ? 'yes' : 'no', e.created_by, at(e.created_at)])]) },
    {
      what: 'timeline',
      file: file([
        ['at', 'recorded_at', 'ref', 'by', 'kind', 'entry', 'before', 'after'],
        ...events.map((e) => [at(e.at), at(e.recorded_at), e.ref, e.actor_user_id, e.kind, defuse(describeEvent(e, { m, zone })), e.before === null ? null : defuse(JSON.stringify(e.before)), e.after === null ? null : defuse(JSON.stringify(e.after))]),
      ]),
    },
    { what: 'members', file: file([['user', 'role', 'unit'], ...members.map((p) => [p.user_id, p.role, p.unit_name ? defuse(p.unit_name) : null])]) },
    { what: 'units', file: file([['unit', 'contact', 'removed'], ...units.map((u) => [defuse(u.name), u.contact_user_id, at(u.archived_at)])]) },
    { what: 'meetings', file: file([['no', 'title', 'rule', 'starts', 'zone', 'minutes', 'where', 'cancelled'], ...meetings.map((x) => [`#${x.seq}`, defuse(x.title), x.rule, x.start_local, x.time_zone, String(x.duration_minutes), x.location ? defuse(x.location) : null, at(x.cancelled_at)])]) },
  ];
}
