import { LIMITS, capped, optionalText, requiredText } from '../src/domain/case-fields.js';
import { OUTCOMES, isAnnounced } from '../src/domain/case-status.js';
import { z } from 'zod';
import { parseRef } from '../src/domain/case-ref.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { dueText, todayIn } from '../src/domain/time.js';
import { InvalidInput, NotFound } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import {
  addMoney,
  addNote,
  caseForActor,
  closeCase,
  editCase,
  openCase,
  reopenCase,
  setPlan,
  setStatus,
  setSupervisor,
  assertInOrder,
  type CaseEdit,
} from '../src/services/cases.service.js';
import { authorize, scopeForChannel, scopeOfChannel, type Scope } from '../src/services/scope.js';
import { ACTIONS, caseLine, caseList, confirmMessage, historyMessage, moneySummary } from '../src/slack/blocks/case-card.js';
import { caseNamed, naming, openCaseModal, planModal } from '../src/slack/blocks/case-modals.js';
import { can } from '../src/domain/roles.js';
import { fieldLabel, money, placeText } from '../src/slack/format.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { esc, escClip, quote } from '../src/slack/mrkdwn.js';
import { parseCase, usageOf, type CaseCommand, type EditWord } from './case.parse.js';
import { cardEffects, editForm, readDate, readMoney, readPlace, readWhen, unitIdByName } from './case.shared.js';
import { caseTimeline, casesOf, moneyByYear, moneyEntries, moneyTotals, unitNamed, unitsOf } from '../src/services/reads.js';
import { acrossGroups } from './across-groups.js';
import { timelineLines } from '../src/features/timeline.js';
import { openItemsOfCase } from '../src/services/actions.service.js';
import { formatItemNo } from '../src/domain/action-item.js';
import { messagesFor } from '../src/i18n/index.js';
import { exportCases, exportFilename } from '../src/services/exports.service.js';
import { importCommand } from './case.import.js';

export { parseCase as parse, usageOf };

/** What `/case` answers in a direct message: the cases of the reader's groups, and a case named by its reference. */
export const IN_DIRECT_MESSAGE = ['help', 'list', 'show', 'history', 'moneySummary'] as const satisfies readonly CaseCommand['sub'][];

const LIST_LIMIT = 60;
/** About what fits in one message (40 sections of lines). */
const HISTORY_LIMIT = 200;
/** Money entries listed by `/case money REF`: a case has a handful, a long one a few dozen. */
const MONEY_LIMIT = 50;

/**
 * The value a close confirmation button carries: everything needed to close, nothing secret.
 * It comes back from Slack, possibly from a message older than this deploy: parsed, not trusted.
 */
const closeRequest = z.object({
  ref: z
    .string()
    .max(40)
    .refine((ref) => parseRef(ref) !== undefined)
    .transform((ref) => parseRef(ref)!),
  outcome: z.enum(OUTCOMES),
  date: z.string().max(INPUT_MAX.when).nullable(),
  note: z.string().max(LIMITS.closeNote).nullable(),
  // Absent from confirmations posted before places were recorded.
  region: z.string().max(LIMITS.place).nullable().default(null),
  city: z.string().max(LIMITS.place).nullable().default(null),
});
export type CloseRequest = z.infer<typeof closeRequest>;

export function parseCloseRequest(value: string): CloseRequest {
  try {
    return closeRequest.parse(JSON.parse(value));
  } catch {
    throw new InvalidInput((m) => m.staleButton);
  }
}

const labels: Record<EditWord, (m: Messages) => string> = {
  title: (m) => m.fieldTitle,
  subject: (m) => m.fieldSubject,
  category: (m) => m.fieldCategory,
  unit: (m) => m.fieldUnit,
  opened: (m) => m.fieldOpened,
  since: (m) => m.fieldSince,
  location: (m) => m.fieldLocation,
};

/** Turns `edit REF FIELD VALUE` into a change; "none" clears an optional field. */
async function editFromWords(ctx: Ctx, scope: Scope, field: EditWord, raw: string): Promise<CaseEdit> {
  const usage = usageOf('edit');
  const now = ctx.clock.now();
  const clear = ['none', '-', '无'].includes(raw.toLowerCase());
  const label = labels[field];
  switch (field) {
    case 'title':
      return { title: requiredText(raw, label, LIMITS.title, usage) };
    case 'subject':
      return { subject: clear ? null : optionalText(raw, label, LIMITS.subject, usage) };
    case 'category':
      return { category: clear ? null : optionalText(raw, label, LIMITS.category, usage) };
    case 'location':
      return { last_location: clear ? null : optionalText(raw, label, LIMITS.location, usage) };
    case 'unit':
      return { origin_unit_id: clear ? null : await unitIdByName(ctx.db, scope, raw, usage) };
    case 'opened':
      return { opened_on: readDate(raw, label, scope.group, now, usage) };
    case 'since':
      return { at_large_since: clear ? null : readDate(raw, label, scope.group, now, usage) };
  }
}

/** Cases a group's list shows when the list spans the reader's groups. */
const GROUP_LIST_LIMIT = 25;

/** `/case list [filter]` outside any group's channel (in a DM with docket): each of the reader's groups' cases, under its heading. */
async function listAcrossGroups(ctx: Ctx, cmd: Extract<CaseCommand, { sub: 'list' }>): Promise<Effects> {
  const { db, m } = ctx;
  const usage = usageOf('list');
  if (cmd.unit) capped(cmd.unit, (mm) => mm.fieldUnit, LIMITS.name, usage);
  let total = 0;
  const reply = await acrossGroups(
    ctx,
    async (scope) => {
      const unit = cmd.unit ? await unitNamed(db, scope, cmd.unit) : undefined;
      if (cmd.unit && !unit) return undefined;
      const filter = { state: cmd.state, supervisedOnly: cmd.supervised, ...(unit ? { unitId: unit.id } : {}) };
      const { rows, total: n } = await casesOf(db, scope, filter, GROUP_LIST_LIMIT);
      total += n;
      if (rows.length === 0) return [m.listEmpty];
      const lines = rows.map((c) => caseLine(c, m));
      return n > rows.length ? [...lines, m.listMore(n - rows.length)] : lines;
    },
    () => m.listTitle(cmd.state, total),
  );
  if (!reply) throw new NotFound((mm) => mm.unitNotFound(quote(cmd.unit!)), usage);
  return reply;
}

export async function handle(cmd: CaseCommand, ctx: Ctx): Promise<Effects> {
  const { db, clock } = ctx;
  const { m } = ctx;
  const now = clock.now();
  switch (cmd.sub) {
    case 'help':
      return say(m.caseHelp);

    case 'open': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      authorize(scope, 'write');
      const g = scope.group;
      if (cmd.title === null) {
        const units = await unitsOf(db, scope);
        return { modal: openCaseModal({ channel: ctx.channelId }, { units, today: todayIn(g.time_zone, now), currency: g.currency, canSupervise: can(scope.member?.role, 'govern') }, m) };
      }
      const usage = usageOf('open');
      const title = requiredText(cmd.title, (mm) => mm.fieldTitle, LIMITS.title, usage);
      const opened = cmd.opened ? readDate(cmd.opened, (mm) => mm.fieldOpened, g, now, usage) : todayIn(g.time_zone, now);
      const since = cmd.since ? readDate(cmd.since, (mm) => mm.fieldSince, g, now, usage) : null;
      const unitId = cmd.unit ? await unitIdByName(db, scope, cmd.unit, usage) : null;
      const result = await openCase(ctx, scope, { title, opened_on: opened, ...(since ? { at_large_since: since } : {}), ...(unitId ? { origin_unit_id: unitId } : {}) });
      if (result.duplicate) return {};
      const c = result.value.case;
      return { reply: { text: m.caseOpened(c.ref, esc(c.title)) }, outbox: result.value.outbox };
    }

    case 'list': {
      const scope = await scopeOfChannel(ctx, ctx.channelId);
      if (!scope) return listAcrossGroups(ctx, cmd);
      authorize(scope, 'read');
      const unitId = cmd.unit ? await unitIdByName(db, scope, cmd.unit, usageOf('list')) : undefined;
      const filter = { state: cmd.state, supervisedOnly: cmd.supervised, ...(unitId ? { unitId } : {}) };
      const { rows, total } = await casesOf(db, scope, filter, LIST_LIMIT);
      return { reply: caseList(rows, total, cmd.state, m) };
    }

    case 'show':
      return cardEffects(ctx, cmd.ref);

    case 'history': {
      const { scope, case: c } = await caseForActor(ctx, cmd.ref, 'read');
      const { events, total } = await caseTimeline(db, c, HISTORY_LIMIT);
      return { reply: historyMessage(c.ref, timelineLines([...events].reverse(), { m, zone: scope.group.time_zone }), total, m) };
    }

    case 'edit': {
      const { scope, case: c } = await caseForActor(ctx, cmd.ref, 'write');
      if (cmd.field === null) return { modal: await editForm(ctx, scope, c, { channel: ctx.channelId, ref: c.ref }, m) };
      const edit = await editFromWords(ctx, scope, cmd.field, cmd.value);
      const result = await editCase(ctx, cmd.ref, edit);
      if (result.duplicate) return {};
      const { changed } = result.value;
      return say(changed.length ? m.edited(cmd.ref, changed.map(fieldLabel(m))) : m.nothingToChange);
    }

    case 'note': {
      const note = requiredText(cmd.text, (mm) => mm.fieldNote, LIMITS.note, usageOf('note'));
      const result = await addNote(ctx, cmd.ref, note);
      return result.duplicate ? {} : say(m.noteAdded(cmd.ref));
    }

    case 'plan': {
      if (cmd.text === null) {
        const { case: c } = await caseForActor(ctx, cmd.ref, 'write');
        return { modal: naming(planModal({ channel: ctx.channelId, ref: c.ref }, c.plan, m), caseNamed(c)) };
      }
      const plan = requiredText(cmd.text, (mm) => mm.fieldPlan, LIMITS.plan, usageOf('plan'));
      const result = await setPlan(ctx, cmd.ref, plan);
      return result.duplicate ? {} : say(m.planUpdated(cmd.ref, result.value.plan_version));
    }

    case 'status': {
      const { scope } = await caseForActor(ctx, cmd.ref, 'write');
      const at = readWhen(cmd.when, scope.group, now, usageOf('status'));
      const place = readPlace(cmd.region, cmd.city, usageOf('status'));
      const result = await setStatus(ctx, cmd.ref, cmd.status, at, place);
      return result.duplicate ? {} : say(m.statusChanged(cmd.ref, result.value.from, cmd.status, dueText(at, scope.group.time_zone, m), placeText(place, m)));
    }

    case 'supervise': {
      const result = await setSupervisor(ctx, cmd.ref, cmd.user);
      if (result.duplicate) return {};
      return say(cmd.user ? m.supervisionSet(cmd.ref, cmd.user) : m.supervisionCleared(cmd.ref));
    }

    case 'close': {
      // Check everything now, so the confirmation never offers what would then fail.
      const { scope, case: c } = await caseForActor(ctx, cmd.ref, 'govern');
      if (c.status === 'closed') throw new InvalidInput((mm) => mm.alreadyClosed(c.ref));
      const at = readWhen(cmd.date, scope.group, now, usageOf('close'));
      assertInOrder(c, at, scope.group.time_zone);
      if (cmd.note) requiredText(cmd.note, (mm) => mm.fieldNote, LIMITS.closeNote, usageOf('close'));
      const place = readPlace(cmd.region, cmd.city, usageOf('close'));
      const value: CloseRequest = { ref: c.ref, outcome: cmd.outcome, date: cmd.date, note: cmd.note, ...place };
      const open = await openItemsOfCase(ctx.db, c.id);
      // The date, place and note it will record, as understood: a misread date is seen before it is kept.
      const question = m.sentences(
        m.closeConfirm(c.ref, cmd.outcome, dueText(at, scope.group.time_zone, m), cmd.note ? escClip(cmd.note, 200) : null),
        place.region || place.city ? m.closeConfirmPlace(placeText(place, m)!) : '',
        open ? m.closeCancelsItems(open) : '',
      );
      return { reply: confirmMessage(question, { actionId: ACTIONS.closeConfirm, value: JSON.stringify(value), danger: !isAnnounced(cmd.outcome) }, m) };
    }

    case 'reopen': {
      const reason = cmd.reason ? requiredText(cmd.reason, (mm) => mm.fieldNote, LIMITS.note, usageOf('reopen')) : null;
      const result = await reopenCase(ctx, cmd.ref, reason);
      if (result.duplicate) return {};
      const { cancelledAtClose } = result.value;
      return say(m.sentences(m.reopened(cmd.ref), cancelledAtClose.length ? m.reopenedItems(m.list(cancelledAtClose.map(formatItemNo))) : ''));
    }

    case 'money': {
      const { scope } = await caseForActor(ctx, cmd.ref, 'write');
      const entry = readMoney(cmd, scope.group, now, usageOf('money'));
      const result = await addMoney(ctx, cmd.ref, entry);
      if (result.duplicate) return {};
      const amount = money(entry.amount, entry.currency, m);
      return say(entry.correction ? m.moneyCorrected(cmd.ref, m.moneyKindName(entry.kind), amount, entry.occurredOn) : m.moneyRecorded(cmd.ref, m.moneyKindName(entry.kind), amount, entry.occurredOn));
    }

    case 'export': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      // Shared in the channel: headers and the note that comes with it in the group's language.
      const channelWords = messagesFor(scope.group.locale);
      const file = await exportCases(ctx, scope, channelWords);
      return {
        reply: { text: m.exported(file.rows) },
        uploads: [
          {
            filename: exportFilename(scope.group.case_prefix, 'cases', now, scope.group.time_zone),
            title: exportFilename(scope.group.case_prefix, 'cases', now, scope.group.time_zone),
            bytes: file.bytes,
            comment: channelWords.exportComment(ctx.userId, channelWords.exportWhatCases(file.rows)),
          },
        ],
      };
    }

    case 'import':
      return importCommand(ctx, cmd);

    case 'moneySummary': {
      const { case: c } = await caseForActor(ctx, cmd.ref, 'read');
      const [totals, byYear, entries] = await Promise.all([moneyTotals(db, c.id), moneyByYear(db, c.id), moneyEntries(db, c.id, MONEY_LIMIT)]);
      return { reply: moneySummary(c.ref, totals, byYear, entries, m) };
    }
  }
}

/** Carries out a confirmed close: from the confirmation button, and from the close form. */
export async function confirmClose(ctx: Ctx, close: CloseRequest): Promise<Effects> {
  const { clock } = ctx;
  const now = clock.now();
  const { scope } = await caseForActor(ctx, close.ref, 'govern');
  const at = readWhen(close.date, scope.group, now);
  const result = await closeCase(ctx, close.ref, { outcome: close.outcome, note: close.note, at, place: { region: close.region, city: close.city } });
  if (result.duplicate) return {};
  const { case: c, cancelledItems } = result.value;
  const text = ctx.m.sentences(ctx.m.closed(c.ref, close.outcome), cancelledItems.length ? ctx.m.closedItems(cancelledItems.length) : '');
  return { reply: { text }, replaceOriginal: true, outbox: result.value.outbox };
}
