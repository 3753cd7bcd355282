import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor, Trx } from '../db/database.js';
import type { CaseImport } from '../db/imports.table.js';
import { LIMITS } from '../domain/case-fields.js';
import type { CaseStatus, Outcome } from '../domain/case-status.js';
import { INPUT_MAX, longerThan } from '../domain/input-limits.js';
import { fractionDigits, minorUnits, parseAmount } from '../domain/money.js';
import { dayStartIn, formatInstant, parseDateInput, parseDateTimeInput, toDate, todayIn, dateIn } from '../domain/time.js';
import { InvalidInput, NotFound, type Render } from '../errors.js';
import { outcomeFromWord, statusFromWord } from '../features/cases/words.js';
import { record } from '../features/timeline.js';
import { casesZh } from '../features/cases/messages.js';
import { quote } from '../lib/text.js';
import { importCaseIn, type ImportedCase } from './cases.service.js';
import { CASE_COLUMNS, decodeCsv, readCsv, readHeader, restore, type CaseColumn, type CsvRecord, type HeaderColumn } from './ledger-csv.js';
import { authorize, mutate, scopeForGroupId, type Mutation, type Scope, type ServiceContext } from './scope.js';

/**
 * Bringing an office's existing ledger into docket from a CSV file with the export's columns.
 * A dry run reads and checks every row and keeps a clean file as a pending import; Confirm
 * enters all its cases in one transaction, with their own dates. A file is known by its
 * content's hash within the group: the same file again, or Confirm clicked twice, creates
 * nothing new. Rows name their cases' subjects: nothing here logs a cell.
 */

/** Rows one file may bring: a prefecture's ledger has dozens, a province's a few hundred. */
export const IMPORT_MAX_ROWS = 2000;
/** How long a dry run can be confirmed. */
const PENDING_MS = 24 * 3600_000;

export interface BadRow {
  line: number;
  reason: Render;
}

export interface CheckedRow extends ImportedCase {
  line: number;
}

export interface StoredRecords {
  header: string[];
  rows: CsvRecord[];
}

export const contentHash = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A file's records, as read and then kept with the pending import. */
export function recordsOf(bytes: Buffer): StoredRecords {
  return readCsv(decodeCsv(bytes), IMPORT_MAX_ROWS);
}

const closedWords = new Set(['closed', casesZh.statusName('closed')]);

/**
 * Every row checked against the group as it is now (its units, the cases it has): the rows to
 * create, or each bad row with its line and why. `db` is the pool or the confirming transaction.
 */
export async function checkRecords(db: Executor, scope: Scope, stored: StoredRecords, now: Date): Promise<{ rows: CheckedRow[]; bad: BadRow[] }> {
  const columns = readHeader(stored.header);
  const present = new Set(columns.flatMap((c) => (c.kind === 'case' ? [c.column] : [])));
  for (const required of ['title', 'opened'] as const) if (!present.has(required)) throw new InvalidInput((m) => m.importMissingColumn(m.csvColumns[required]));
  const zone = scope.group.time_zone;
  const today = todayIn(zone, now);
  const units = new Map((await db.selectFrom('units').select(['id', 'name']).where('group_id', '=', scope.group.id).where('archived_at', 'is', null).execute()).map((u) => [u.name.toLowerCase(), u.id]));
  const known = await db.selectFrom('cases').select(['ref', 'source_ref']).where('group_id', '=', scope.group.id).execute();
  const taken = new Map<string, string>();
  for (const k of known) {
    taken.set(k.ref.toLowerCase(), k.ref);
    if (k.source_ref) taken.set(k.source_ref.toLowerCase(), k.ref);
  }
  const refLines = new Map<string, number>();
  const rows: CheckedRow[] = [];
  const bad: BadRow[] = [];
  for (const rec of stored.rows) {
    const problem = (reason: Render) => bad.push({ line: rec.line, reason });
    if (rec.cells.length > columns.length && rec.cells.slice(columns.length).some((c) => c.trim() !== '')) {
      problem((m) => m.reasonExtraCells);
      continue;
    }
    const row = readRow(rec, columns, { zone, today, now, units, taken, refLines }, problem);
    if (row) rows.push(row);
  }
  return { rows, bad };
}

interface RowContext {
  zone: string;
  today: string;
  now: Date;
  units: Map<string, number>;
  taken: Map<string, string>;
  refLines: Map<string, number>;
}

/** One row, or undefined after reporting its first problem. */
function readRow(rec: CsvRecord, columns: HeaderColumn[], x: RowContext, problem: (r: Render) => void): CheckedRow | undefined {
  const cell = Object.fromEntries(CASE_COLUMNS.map((c) => [c, ''])) as Record<CaseColumn, string>;
  const money: CheckedRow['money'] = [];
  const moneyCells: { kind: CheckedRow['money'][number]['kind']; currency: string; text: string; header: string }[] = [];
  columns.forEach((col, i) => {
    const raw = (rec.cells[i] ?? '').trim();
    if (col.kind === 'case') cell[col.column] = restore(raw);
    else if (raw) moneyCells.push({ ...col.money, text: raw, header: `${col.money.kind} ${col.money.currency}` });
  });
  const fail = (r: Render): undefined => {
    problem(r);
    return undefined;
  };
  const text = (c: CaseColumn, max: number): string | null | false => {
    if (!cell[c]) return null;
    if ([...cell[c]].length > max) return fail((m) => m.reasonTooLong(m.csvColumns[c], max)) ?? false;
    return cell[c];
  };
  const date = (c: CaseColumn): string | null | false => {
    if (!cell[c]) return null;
    const v = longerThan(cell[c], INPUT_MAX.when) ? undefined : parseDateInput(cell[c], x.zone, x.now);
    if (!v) return fail((m) => m.reasonBadDate(m.csvColumns[c], quote(cell[c]))) ?? false;
    if (v > x.today) return fail((m) => m.reasonFuture(m.csvColumns[c])) ?? false;
    return v;
  };
  const instant = (c: CaseColumn): Date | null | false => {
    if (!cell[c]) return null;
    const parsed = longerThan(cell[c], INPUT_MAX.when) ? undefined : parseDateTimeInput(cell[c], x.zone, x.now);
    if (!parsed) return fail((m) => m.reasonBadDate(m.csvColumns[c], quote(cell[c]))) ?? false;
    const at = toDate(parsed.at);
    if (at > x.now) return fail((m) => m.reasonFuture(m.csvColumns[c])) ?? false;
    return at;
  };

  const ref = text('ref', 40);
  const title = text('title', LIMITS.title);
  const subject = text('subject', LIMITS.subject);
  const category = text('category', LIMITS.category);
  const location = text('location', LIMITS.location);
  const region = text('region', LIMITS.place);
  const city = text('city', LIMITS.place);
  const unitName = text('unit', LIMITS.name);
  if ([ref, title, subject, category, location, region, city, unitName].includes(false)) return undefined;
  if (!title) return fail((m) => m.reasonEmpty(m.csvColumns.title));
  if (!cell.opened) return fail((m) => m.reasonEmpty(m.csvColumns.opened));
  const opened = date('opened');
  const since = date('since');
  const statusAt = instant('statusSince');
  const closedAt = instant('closed');
  if (opened === false || since === false || statusAt === false || closedAt === false || opened === null) return undefined;

  let unitId: number | null = null;
  if (unitName) {
    const id = x.units.get(unitName.toLowerCase());
    if (id === undefined) return fail((m) => m.reasonUnknownUnit(quote(unitName)));
    unitId = id;
  }
  let supervisor: string | null = null;
  if (cell.supervisor) {
    const id = /^<?@?([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>?$/u.exec(cell.supervisor)?.[1];
    if (!id) return fail((m) => m.reasonBadSupervisor(quote(cell.supervisor)));
    supervisor = id;
  }

  // The status column names where the case stands; a closed case needs its outcome and close time.
  let outcome: Outcome | null = null;
  if (cell.outcome) {
    const o = outcomeFromWord(cell.outcome);
    if (!o) return fail((m) => m.reasonUnknownOutcome(quote(cell.outcome)));
    outcome = o;
  }
  const statusWord = cell.status.toLowerCase();
  const saysClosed = closedWords.has(statusWord) || closedWords.has(cell.status);
  let status: CaseStatus = 'open';
  if (cell.status && !saysClosed) {
    const s = statusFromWord(cell.status);
    if (!s) return fail((m) => m.reasonUnknownStatus(quote(cell.status)));
    status = s;
  }
  const closing = saysClosed || outcome !== null || closedAt !== null;
  if (closing && (!outcome || !closedAt)) return fail((m) => m.reasonCloseNeeds);
  const openedAt = dayStartIn(opened, x.zone);
  if (closedAt && closedAt < openedAt) return fail((m) => m.reasonBeforeOpened(m.csvColumns.closed));
  if (statusAt && statusAt < openedAt) return fail((m) => m.reasonBeforeOpened(m.csvColumns.statusSince));

  for (const mc of moneyCells) {
    const parsed = parseAmount(mc.text);
    const col = (m: Parameters<Render>[0]) => `${m.moneyKindName(mc.kind)} ${mc.currency}`;
    if (typeof parsed === 'string' || (parsed.currency && parsed.currency !== mc.currency) || fractionDigits(parsed.amount) > minorUnits(mc.currency)) {
      if (parsed === 'zero') continue;
      return fail((m) => m.reasonBadAmount(col(m), quote(mc.text)));
    }
    if (parsed.amount.startsWith('-')) return fail((m) => m.reasonNegative(col(m)));
    // Totals carry no date of their own: involved money is dated the day the case was opened,
    // frozen and recovered money the day it closed (or reached its status), else that day too.
    const later = closedAt ?? statusAt;
    const occurredOn = mc.kind === 'involved' || !later ? opened : dateIn(later, x.zone);
    money.push({ kind: mc.kind, currency: mc.currency, amount: parsed.amount, occurredOn });
  }

  if (ref) {
    const key = ref.toLowerCase();
    const earlier = x.refLines.get(key);
    if (earlier !== undefined) return fail((m) => m.reasonDuplicateRef(quote(ref), earlier));
    x.refLines.set(key, rec.line);
    const existing = x.taken.get(key);
    if (existing) return fail((m) => m.reasonAlreadyIn(quote(ref), existing));
  }

  const moved = !closing && status !== 'open' ? { to: status as 'located' | 'in_custody' | 'on_hold', at: statusAt ?? openedAt } : null;
  return {
    line: rec.line,
    source_ref: ref || null,
    title,
    subject: subject || null,
    category: category || null,
    last_location: location || null,
    origin_unit_id: unitId,
    opened_on: opened,
    at_large_since: since,
    supervisor_user_id: supervisor,
    status: moved,
    close: closing ? { outcome: outcome!, at: closedAt! } : null,
    place: { region: region || null, city: city || null },
    money,
  };
}

function findImport(db: Executor, groupId: number, hash: string): Promise<CaseImport | undefined> {
  return db.selectFrom('case_imports').selectAll().where('group_id', '=', groupId).where('content_hash', '=', hash).executeTakeFirst();
}

export type DryRun =
  | { kind: 'done'; import: CaseImport }
  | { kind: 'checked'; rows: CheckedRow[]; bad: BadRow[]; importId: number | null };

/**
 * The dry run: who may import (coordinators: an import closes cases and names supervisors), the
 * file checked row by row, and a clean file kept as a pending import to confirm.
 */
export async function dryRun(ctx: ServiceContext, scope: Scope, file: { bytes: Buffer; filename: string | null }): Promise<DryRun> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  const hash = contentHash(file.bytes);
  const earlier = await findImport(ctx.db, scope.group.id, hash);
  if (earlier?.state === 'done') return { kind: 'done', import: earlier };
  const stored = recordsOf(file.bytes);
  const { rows, bad } = await checkRecords(ctx.db, scope, stored, now);
  if (bad.length) return { kind: 'checked', rows, bad, importId: null };
  const kept = await mutate(ctx, (trx) =>
    trx
      .insertInto('case_imports')
      .values({ team_id: ctx.teamId, group_id: scope.group.id, content_hash: hash, filename: file.filename, records: JSON.stringify(stored), row_count: rows.length, created_by: ctx.userId, expires_at: new Date(now.getTime() + PENDING_MS) })
      .onConflict((oc) => oc.columns(['group_id', 'content_hash']).doUpdateSet({ records: JSON.stringify(stored), row_count: rows.length, created_by: ctx.userId, expires_at: new Date(now.getTime() + PENDING_MS), filename: file.filename }).where('case_imports.state', '=', 'pending'))
      .returning('id')
      .executeTakeFirst(),
  );
  // A retried dry run (same request) or one that lost a race with a confirm: read what is there.
  const id = kept.duplicate || !kept.value ? ((await findImport(ctx.db, scope.group.id, hash))?.id ?? null) : kept.value.id;
  return { kind: 'checked', rows, bad, importId: id };
}

export type Confirmed = { kind: 'imported'; refs: string[] } | { kind: 'done'; import: CaseImport; zone: string };

/** Confirm: every row of the pending import becomes a case, in one transaction, or none does. */
export async function confirmImport(ctx: ServiceContext, importId: number): Promise<Mutation<Confirmed>> {
  const now = ctx.clock.now();
  return mutate(ctx, async (trx: Trx) => {
    const imp = await trx.selectFrom('case_imports').selectAll().where('id', '=', importId).where('team_id', '=', ctx.teamId).forUpdate().executeTakeFirst();
    if (!imp) throw new NotFound((m) => m.staleButton);
    const scope = await scopeForGroupId(trx, imp.group_id, ctx.userId);
    authorize(scope, 'govern');
    if (imp.state === 'done') return { kind: 'done', import: imp, zone: scope.group.time_zone };
    if (imp.expires_at < now) throw new InvalidInput((m) => m.importExpired);
    const { rows, bad } = await checkRecords(trx, scope, imp.records as unknown as StoredRecords, now);
    if (bad.length || rows.length === 0) throw new InvalidInput((m) => m.importNoLongerClean);
    // Numbered in the order they were opened, so each year's references follow its dates.
    const ordered = [...rows].sort((a, b) => a.opened_on.localeCompare(b.opened_on) || a.line - b.line);
    const made = [];
    for (const { line: _line, ...row } of ordered) made.push(await importCaseIn(trx, ctx, scope, row));
    const refs = made.map((c) => c.ref);
    await record(trx, { teamId: ctx.teamId, groupId: scope.group.id, actor: ctx.userId }, { kind: 'cases.imported', before: null, after: { count: made.length, filename: imp.filename, content_hash: imp.content_hash, refs } });
    await trx
      .updateTable('case_imports')
      .set({ state: 'done', done_by: ctx.userId, done_at: now, case_ids: sql`${sql.val(made.map((c) => c.id))}::bigint[]`, records: JSON.stringify({ header: [], rows: [] }) })
      .where('id', '=', imp.id)
      .execute();
    return { kind: 'imported', refs };
  });
}

/** When an earlier import of the file was confirmed, as the reader's group shows it. */
export const importedOn = (imp: CaseImport, zone: string): string => (imp.done_at ? formatInstant(imp.done_at, zone) : '');
