import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { isCurrency, MONEY_KINDS, type MoneyKind } from '../domain/money.js';
import { InvalidInput } from '../errors.js';
import { moneyKindFromWord } from '../features/cases/words.js';
import { en, type Messages } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';

/**
 * The ledger as a CSV file (RFC 4180, through the maintained csv-stringify and csv-parse): one
 * row per case, the columns below, then one column per money kind and currency the cases have
 * ("recovered CNY"). Totals in columns, not a second file of entries: a spreadsheet user sums a
 * column and reads a case on one line, which a list of entries would make them pivot for.
 * Headers are written in the reader's language and read in either.
 */
export const CASE_COLUMNS = ['ref', 'title', 'subject', 'category', 'unit', 'status', 'statusSince', 'outcome', 'opened', 'since', 'closed', 'region', 'city', 'location', 'supervisor'] as const;
export type CaseColumn = (typeof CASE_COLUMNS)[number];

/** Free-text columns: a cell starting like a formula is written with a leading ' (read back without it). */
export const TEXT_COLUMNS: ReadonlySet<CaseColumn> = new Set(['ref', 'title', 'subject', 'category', 'unit', 'region', 'city', 'location']);

export interface MoneyColumn {
  kind: MoneyKind;
  currency: string;
}

export const moneyHeader = (c: MoneyColumn, m: Messages) => `${m.moneyKindName(c.kind)} ${c.currency}`;

export function moneyColumnsSorted(cols: MoneyColumn[]): MoneyColumn[] {
  return [...cols].sort((a, b) => a.currency.localeCompare(b.currency) || MONEY_KINDS.indexOf(a.kind) - MONEY_KINDS.indexOf(b.kind));
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula:
 * a title typed as `=HYPERLINK(…)` would act on whoever opens the export. Such a text cell is
 * written with a leading apostrophe, which the import takes off again.
 */
const FORMULA_START = /^[=+\-@\t\r]/u;
export const defuse = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
export const restore = (text: string): string => (text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text);

/** UTF-8 with a byte order mark (what tells Excel the file is UTF-8, so Chinese shows), CRLF line ends. */
export function csvBytes(rows: (string | null)[][]): Buffer {
  return Buffer.from(stringify(rows.map((r) => r.map((v) => v ?? '')), { bom: true, record_delimiter: 'windows' }), 'utf8');
}

/**
 * The file's text: UTF-8 (with or without a BOM); failing that GB18030, which is what Excel on
 * a Chinese Windows writes when a sheet is saved as plain "CSV".
 */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export interface CsvRecord {
  /** The line of the file the record starts on (1: the header). */
  line: number;
  cells: string[];
}

/** Records as read, each with the line it starts on; a file csv-parse refuses is InvalidInput. */
export function readCsv(text: string, maxRows: number): { header: string[]; rows: CsvRecord[] } {
  let parsed: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, to: maxRows + 2 }) as unknown as typeof parsed;
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'CSV_INVALID';
    throw new InvalidInput((m) => m.importUnreadable(code));
  }
  if (parsed.length > maxRows + 1) throw new InvalidInput((m) => m.importTooManyRows(maxRows));
  let lastLine = 0;
  let lastEmpty = 0;
  const records = parsed.map(({ record, info }) => {
    const line = lastLine + 1 + (info.empty_lines - lastEmpty);
    lastLine = info.lines;
    lastEmpty = info.empty_lines;
    return { line, cells: record };
  });
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new InvalidInput((m) => m.importEmpty);
  return { header: header.cells, rows };
}

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

/** Every name a case column goes by: its key and its header in each language. */
const caseHeaders = new Map<string, CaseColumn>(
  CASE_COLUMNS.flatMap((c) => [
    [norm(c), c],
    [norm(en.csvColumns[c]), c],
    [norm(zhCN.csvColumns[c]), c],
  ]),
);

export type HeaderColumn = { kind: 'case'; column: CaseColumn } | { kind: 'money'; money: MoneyColumn };

/** What each header cell names; an unknown or repeated column refuses the file (with its name). */
export function readHeader(header: string[]): HeaderColumn[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    const name = i === 0 ? raw.replace(/^\uFEFF/u, '') : raw;
    const known = caseHeaders.get(norm(name));
    let col: HeaderColumn | undefined = known ? { kind: 'case', column: known } : undefined;
    if (!col) {
      const m = /^(.+?)\s+([A-Za-z]{3})$/u.exec(name.normalize('NFKC').trim());
      const kind = m ? moneyKindFromWord(m[1]!) : undefined;
      const currency = m?.[2]?.toUpperCase();
      if (kind && currency && isCurrency(currency)) col = { kind: 'money', money: { kind, currency } };
    }
    if (!col) throw new InvalidInput((mm) => mm.importUnknownColumn(name.slice(0, 60)));
    const id = col.kind === 'case' ? col.column : `${col.money.kind} ${col.money.currency}`;
    if (seen.has(id)) throw new InvalidInput((mm) => mm.importTwiceColumn(name.slice(0, 60)));
    seen.add(id);
    return col;
  });
}
