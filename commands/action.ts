import { ITEM_TEXT_MAX, formatItemNo } from '../src/domain/action-item.js';
import { formatDuration, parseBeforeList, parseDays, parseHour, type ReminderSettings } from '../src/domain/reminder-settings.js';
import { LIMITS, capped, requiredText } from '../src/domain/case-fields.js';
import { InvalidInput, NotFound } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import {
  addItem,
  cancelItem,
  completeItem,
  itemByNumber,
  reassignItem,
  reopenItem,
  rescheduleItem,
  snoozeItem,
  updateReminderSettings,
} from '../src/services/actions.service.js';
import { caseForActor } from '../src/services/cases.service.js';
import { authorize, scopeForChannel, scopeOfChannel, type Scope } from '../src/services/scope.js';
import { itemLine, itemList } from '../src/slack/blocks/action-item.js';
import { dueText, formatInstant } from '../src/domain/time.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { esc, quote } from '../src/slack/mrkdwn.js';
import { actionUsageOf, parseAction, type ActionCommand, type SettingsWords } from './action.parse.js';
import { addedReply, cardFor, doneText, ownerFrom, readDue } from './action.shared.js';
import { unitIdByName } from './case.shared.js';
import { itemsMatching, reminderSettingsOf, unitNamed } from '../src/services/reads.js';
import { acrossGroups } from './across-groups.js';
import { messagesFor } from '../src/i18n/index.js';
import { exportFilename, exportItems } from '../src/services/exports.service.js';

export { parseAction as parse, actionUsageOf as usageOf };

/** What `/action` answers in a direct message: the reader's own items across their groups (or a case's), and an item by its number. */
export const IN_DIRECT_MESSAGE = ['help', 'list', 'show'] as const satisfies readonly ActionCommand['sub'][];

const LIST_LIMIT = 50;

/** The item typed as `#N`: the Nth of the group of the channel it was typed in. */
const typed = (ctx: Ctx, no: number, ability: 'read' | 'write' = 'write') => itemByNumber(ctx, ctx.channelId, no, ability);

function settingsText(s: ReminderSettings, m: Messages): string {
  return m.actionSettingsLines({
    before: s.beforeMinutes.map(formatDuration),
    atDue: s.atDue,
    daily: s.overdueHour,
    escalate: s.escalateAfterDays,
  });
}

function readSettings(o: SettingsWords, current: ReminderSettings): ReminderSettings {
  const usage = actionUsageOf('settings');
  const next = { ...current };
  if (o.before !== undefined) {
    const v = parseBeforeList(o.before);
    if (!v) throw new InvalidInput((m) => m.actionBadBefore(quote(o.before!)), usage);
    next.beforeMinutes = v;
  }
  if (o.atdue !== undefined) {
    const v = o.atdue.toLowerCase();
    if (!['on', 'off', 'yes', 'no'].includes(v)) throw new InvalidInput((m) => m.unknownOption(quote(o.atdue!)), usage);
    next.atDue = v === 'on' || v === 'yes';
  }
  if (o.daily !== undefined) {
    const v = parseHour(o.daily);
    if (v === undefined) throw new InvalidInput((m) => m.actionBadHour(quote(o.daily!)), usage);
    next.overdueHour = v;
  }
  if (o.escalate !== undefined) {
    const v = parseDays(o.escalate);
    if (v === undefined) throw new InvalidInput((m) => m.actionBadDays(quote(o.escalate!)), usage);
    next.escalateAfterDays = v;
  }
  return next;
}

async function listFor(ctx: Ctx, cmd: Extract<ActionCommand, { sub: 'list' }>): Promise<Effects> {
  const { m } = ctx;
  let scope: Scope;
  let caseId: number | undefined;
  if (cmd.ref) {
    const found = await caseForActor(ctx, cmd.ref, 'read');
    scope = found.scope;
    caseId = found.case.id;
  } else {
    const here = await scopeOfChannel(ctx, ctx.channelId);
    if (!here) return listAcrossGroups(ctx, cmd);
    scope = here;
    authorize(scope, 'read');
  }
  const now = ctx.clock.now();
  const unitId = cmd.unit ? await unitIdByName(ctx.db, scope, cmd.unit, actionUsageOf('list')) : undefined;
  const me = scope.member;
  const rows = await itemsMatching(ctx.db, {
    groupId: scope.group.id,
    ...(caseId !== undefined ? { caseId } : {}),
    ...(unitId !== undefined ? { unitId } : {}),
    ...(cmd.mine ? { owner: { userId: ctx.userId, unitIds: me?.unit_id ? [me.unit_id] : [] } } : {}),
    ...(cmd.overdue ? { dueBefore: now } : {}),
    limit: LIST_LIMIT + 1,
  });
  const title = m.actionListTitle({ ref: cmd.ref, mine: cmd.mine, overdue: cmd.overdue, unit: cmd.unit ? esc(cmd.unit) : null });
  return { reply: itemList(rows.slice(0, LIST_LIMIT), title, scope.group.time_zone, now, m, rows.length > LIST_LIMIT) };
}

/** Items a group's list shows per group when it spans the reader's groups. */
const GROUP_LIST_LIMIT = 25;

/**
 * `/action list` outside any group's channel (in a DM with docket): the reader's own open items,
 * theirs and their unit's, in each of their groups, under the group's heading.
 */
async function listAcrossGroups(ctx: Ctx, cmd: Extract<ActionCommand, { sub: 'list' }>): Promise<Effects> {
  const { db, m } = ctx;
  const now = ctx.clock.now();
  const usage = actionUsageOf('list');
  if (cmd.unit) capped(cmd.unit, (mm) => mm.fieldUnit, LIMITS.name, usage);
  const reply = await acrossGroups(
    ctx,
    async (scope) => {
      const unit = cmd.unit ? await unitNamed(db, scope, cmd.unit) : undefined;
      if (cmd.unit && !unit) return undefined;
      const unitIds = scope.member?.unit_id ? [scope.member.unit_id] : [];
      const rows = await itemsMatching(db, {
        groupId: scope.group.id,
        owner: { userId: ctx.userId, unitIds },
        ...(unit ? { unitId: unit.id } : {}),
        ...(cmd.overdue ? { dueBefore: now } : {}),
        limit: GROUP_LIST_LIMIT + 1,
      });
      if (rows.length === 0) return [m.actionListEmpty];
      const lines = rows.slice(0, GROUP_LIST_LIMIT).map((r) => itemLine(r, scope.group.time_zone, now, m));
      return rows.length > GROUP_LIST_LIMIT ? [...lines, m.actionListMore] : lines;
    },
    () => m.actionListTitle({ ref: null, mine: true, overdue: cmd.overdue, unit: cmd.unit ? esc(cmd.unit) : null }),
  );
  if (!reply) throw new NotFound((mm) => mm.unitNotFound(quote(cmd.unit!)), usage);
  return reply;
}

export async function handle(cmd: ActionCommand, ctx: Ctx): Promise<Effects> {
  const { db, clock } = ctx;
  const { m } = ctx;
  const now = clock.now();
  switch (cmd.sub) {
    case 'help':
      return say(m.actionHelp);

    case 'add': {
      const usage = actionUsageOf('add');
      const { scope, case: c } = await caseForActor(ctx, cmd.ref, 'write');
      const text = requiredText(cmd.text, (mm) => mm.actionFieldText, ITEM_TEXT_MAX, usage);
      const owner = cmd.owner ? await ownerFrom(ctx, scope, cmd.owner, usage) : { userId: ctx.userId };
      const dueAt = readDue(cmd.due, scope.group, now, usage);
      const r = await addItem(ctx, scope, { case: c, text, owner, dueAt });
      return r.duplicate ? {} : addedReply(ctx, r.value, c.ref, scope);
    }

    case 'list':
      return listFor(ctx, cmd);

    case 'show': {
      const { scope, item } = await typed(ctx, cmd.no, 'read');
      return { reply: await cardFor(ctx, item, scope) };
    }

    case 'done': {
      const r = await completeItem(ctx, (await typed(ctx, cmd.no)).item.id);
      return r.duplicate ? {} : say(doneText(ctx, r.value.item));
    }

    case 'cancel': {
      const r = await cancelItem(ctx, (await typed(ctx, cmd.no)).item.id);
      return r.duplicate ? {} : say(m.actionCancelled(formatItemNo(cmd.no)));
    }

    case 'reopen': {
      const r = await reopenItem(ctx, (await typed(ctx, cmd.no)).item.id);
      return r.duplicate ? {} : say(m.actionReopened(formatItemNo(cmd.no)));
    }

    case 'reassign': {
      const { scope, item } = await typed(ctx, cmd.no);
      const owner = await ownerFrom(ctx, scope, cmd.owner, actionUsageOf('reassign'));
      const r = await reassignItem(ctx, item.id, owner);
      if (r.duplicate) return {};
      return { reply: await cardFor(ctx, r.value.item, scope, m.actionReassigned(formatItemNo(cmd.no))) };
    }

    case 'due': {
      const { scope, item } = await typed(ctx, cmd.no);
      const dueAt = readDue(cmd.when, scope.group, now, actionUsageOf('due'));
      const r = await rescheduleItem(ctx, item.id, dueAt);
      return r.duplicate ? {} : say(m.actionRescheduled(formatItemNo(cmd.no), dueText(dueAt, scope.group.time_zone, m)));
    }

    case 'snooze': {
      const r = await snoozeItem(ctx, (await typed(ctx, cmd.no)).item.id, cmd.snooze);
      if (r.duplicate) return {};
      const { item, scope } = r.value;
      return say(m.actionSnoozed(formatItemNo(cmd.no), formatInstant(item.snoozed_until!, scope.group.time_zone)));
    }

    case 'export': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const channelWords = messagesFor(scope.group.locale);
      const file = await exportItems(ctx, scope, channelWords);
      const filename = exportFilename(scope.group.case_prefix, 'items', now, scope.group.time_zone);
      return {
        reply: { text: m.itemsExported(file.rows) },
        uploads: [{ filename, title: filename, bytes: file.bytes, comment: channelWords.exportComment(ctx.userId, channelWords.exportWhatItems(file.rows)) }],
      };
    }

    case 'settings': {
      const scope = await scopeForChannel(ctx, ctx.channelId);
      const current = await reminderSettingsOf(db, scope);
      if (Object.keys(cmd.options).length === 0) {
        authorize(scope, 'read');
        return say(`${m.actionSettingsTitle(esc(scope.group.name))}\n${settingsText(current, m)}`);
      }
      const next = readSettings(cmd.options, current);
      const r = await updateReminderSettings(ctx, scope, { before: current, after: next });
      return r.duplicate ? {} : say(`${m.actionSettingsUpdated(r.value.items)}\n${settingsText(next, m)}`);
    }
  }
}
