import { z } from 'zod';
import { InvalidInput } from '../src/errors.js';
import { confirmImport, dryRun, importedOn, type BadRow } from '../src/services/imports.service.js';
import { authorize, scopeForChannel } from '../src/services/scope.js';
import { confirmMessage } from '../src/slack/blocks/case-card.js';
import { FileError, isCsv, type SharedFile } from '../src/slack/files.js';
import { slackErrorCode } from '../src/slack/deliver.js';
import type { Ctx, Effects } from '../src/slack/handler.js';
import { quote } from '../src/slack/mrkdwn.js';
import type { CaseCommand } from './case.parse.js';

/**
 * `/case import`: a CSV file shared in the channel (the reader's latest, or one named by its
 * id) or a small one pasted after the command, checked in a dry run; the Confirm button of a
 * clean dry run imports it. What the rows say (subjects' names) is never logged.
 */

export const IMPORT_CONFIRM = 'case.import.confirm';
/** Read at most this much of a shared file; a ledger of a few thousand cases is well under it. */
export const IMPORT_MAX_MB = 5;
/** Bad rows a dry run lists (each with its line); the rest are counted. */
const BAD_ROWS_SHOWN = 15;

/** The file the command names, as bytes, after checking it was shared in this channel and is a CSV. */
async function fileToImport(ctx: Ctx, cmd: Extract<CaseCommand, { sub: 'import' }>): Promise<{ bytes: Buffer; filename: string | null }> {
  if (cmd.csv !== null) return { bytes: Buffer.from(cmd.csv, 'utf8'), filename: null };
  let id = cmd.file;
  if (!id) {
    const latest = await ctx.slack.latestCsv(ctx.channelId, ctx.userId).catch((err: unknown) => {
      throw new InvalidInput((m) => m.importCannotDownload(slackErrorCode(err)));
    });
    if (!latest) throw new InvalidInput((m) => m.importNoFile);
    id = latest.id;
  }
  const check = (f: SharedFile) => {
    if (!f.channels.includes(ctx.channelId)) throw new InvalidInput((m) => m.importNotShared);
    if (!isCsv(f)) throw new InvalidInput((m) => m.importNotCsv(quote(f.name)));
  };
  try {
    const { file, bytes } = await ctx.slack.download(id, IMPORT_MAX_MB * 1024 * 1024, check);
    return { bytes, filename: file.name };
  } catch (err) {
    if (err instanceof InvalidInput) throw err;
    const code = err instanceof FileError ? err.code : slackErrorCode(err);
    throw new InvalidInput((m) => (code === 'too_large' ? m.importTooLarge(IMPORT_MAX_MB) : m.importCannotDownload(code)));
  }
}

export async function importCommand(ctx: Ctx, cmd: Extract<CaseCommand, { sub: 'import' }>): Promise<Effects> {
  const { m } = ctx;
  const scope = await scopeForChannel(ctx, ctx.channelId);
  // Before anything is downloaded: only coordinators import.
  authorize(scope, 'govern');
  const file = await fileToImport(ctx, cmd);
  const result = await dryRun(ctx, scope, file);
  const zone = scope.group.time_zone;
  if (result.kind === 'done') return { reply: { text: m.importAlreadyDone(importedOn(result.import, zone), result.import.case_ids.length) } };
  const name = file.filename ? quote(file.filename) : m.importPasted;
  const closed = result.rows.filter((r) => r.close).length;
  const money = result.rows.reduce((n, r) => n + r.money.length, 0);
  const summary = m.sentences(m.importDryRun(name, result.rows.length), m.importBreakdown(closed, money));
  if (result.bad.length) return { reply: { text: [summary, m.importBadRows(result.bad.length), ...badLines(result.bad, ctx)].join('\n') } };
  if (result.importId === null) return { reply: { text: summary } };
  return { reply: confirmMessage(`${summary}\n${m.importConfirmHint}`, { actionId: IMPORT_CONFIRM, value: String(result.importId) }, m) };
}

function badLines(bad: BadRow[], ctx: Ctx): string[] {
  const lines = bad.slice(0, BAD_ROWS_SHOWN).map((b) => ctx.m.importBadRow(b.line, b.reason(ctx.m)));
  return bad.length > BAD_ROWS_SHOWN ? [...lines, ctx.m.importMoreBad(bad.length - BAD_ROWS_SHOWN)] : lines;
}

const importId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The Confirm button of a clean dry run (its value: the pending import's id, parsed, not trusted). */
export async function confirmImportButton(value: string, ctx: Ctx): Promise<Effects> {
  const parsed = importId.safeParse(value.slice(0, 20));
  if (!parsed.success) throw new InvalidInput((m) => m.staleButton);
  const result = await confirmImport(ctx, parsed.data);
  if (result.duplicate) return {};
  const { m } = ctx;
  const r = result.value;
  if (r.kind === 'done') {
    return { reply: { text: m.importAlreadyDone(importedOn(r.import, r.zone), r.import.case_ids.length) }, replaceOriginal: true };
  }
  return { reply: { text: m.importDone(r.refs.length, r.refs[0]!, r.refs.at(-1)!) }, replaceOriginal: true };
}
