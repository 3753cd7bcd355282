import { ITEM_TEXT_MAX, formatItemId } from '../src/domain/action-item.js';
import { formatDuration, parseBeforeList, parseDays, parseHour, type ReminderSettings } from '../src/domain/reminder-settings.js';
import { requiredText } from '../src/domain/case-fields.js';
import { InvalidInput } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import {
  addItem,
  cancelItem,
  completeItem,
  itemForActor,
  reassignItem,
  reopenItem,
  rescheduleItem,
  snoozeItem,
  updateReminderSettings,
} from '../src/services/actions.service.js';
import { caseForActor } from '../src/services/cases.service.js';
import { authorize, scopeForChannel, type Scope } from '../src/services/scope.js';
import { dueText, itemList } from '../src/slack/blocks/action-item.js';
import { formatInstant } from '../src/slack/format.js';
import { say, type Deps, type Effects, type Request } from '../src/slack/handler.js';
import { esc, quote } from '../src/slack/mrkdwn.js';
import { actionUsageOf, parseAction, type ActionCommand, type SettingsWords } from './action.parse.js';
import { cardFor, ownerFrom, readDue } from './action.shared.js';
import { unitIdByName } from './case.shared.js';
import { itemsMatching, reminderSettingsOf } from '../src/services/reads.js';

export { parseAction as parse, actionUsageOf as usageOf };

const LIST_LIMIT = 50;

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

async function listFor(deps: Deps, req: Request, cmd: Extract<ActionCommand, { sub: 'list' }>): Promise<Effects> {
  const { m } = req;
  let scope: Scope;
  let caseId: number | undefined;
  if (cmd.ref) {
    const found = await caseForActor(deps.db, req, cmd.ref, 'read');
    scope = found.scope;
    caseId = found.case.id;
  } else {
    scope = await scopeForChannel(deps.db, req, req.channelId);
    authorize(scope, 'read');
  }
  const now = deps.clock.now();
  const unitId = cmd.unit ? await unitIdByName(deps.db, scope, cmd.unit, actionUsageOf('list')) : undefined;
  const me = scope.member;
  const rows = await itemsMatching(deps.db, {
    groupId: scope.group.id,
    ...(caseId !== undefined ? { caseId } : {}),
    ...(unitId !== undefined ? { unitId } : {}),
    ...(cmd.mine ? { owner: { userId: req.userId, unitIds: me?.unit_id ? [me.unit_id] : [] } } : {}),
    ...(cmd.overdue ? { dueBefore: now } : {}),
    limit: LIST_LIMIT + 1,
  });
  const title = m.actionListTitle({ ref: cmd.ref, mine: cmd.mine, overdue: cmd.overdue, unit: cmd.unit ? esc(cmd.unit) : null });
  return { reply: itemList(rows.slice(0, LIST_LIMIT), title, scope.group.time_zone, now, m, rows.length > LIST_LIMIT) };
}

export async function handle(cmd: ActionCommand, req: Request, deps: Deps): Promise<Effects> {
  const { db, clock } = deps;
  const { m } = req;
  const now = clock.now();
  switch (cmd.sub) {
    case 'help':
      return say(m.actionHelp);

    case 'add': {
      const usage = actionUsageOf('add');
      const { scope, case: c } = await caseForActor(db, req, cmd.ref, 'write');
      if (c.status === 'closed') throw new InvalidInput((mm) => mm.actionCaseClosed(c.ref), usage);
      const text = requiredText(cmd.text, (mm) => mm.actionFieldText, ITEM_TEXT_MAX, usage);
      const owner = cmd.owner ? await ownerFrom(deps, scope, cmd.owner, usage) : { userId: req.userId };
      const dueAt = readDue(cmd.due, scope.group, now, usage, { allowPast: true });
      const r = await addItem(deps, req, scope, { case: c, text, owner, dueAt });
      if (r.duplicate) return {};
      const { item } = r.value;
      // The parsed time and zone are echoed, so a misread date is seen at once.
      const lead = m.actionAdded(formatItemId(item.id), c.ref, dueText(item.due_at, scope.group.time_zone)) + (dueAt.getTime() <= now.getTime() ? ` ${m.actionAlreadyOverdue}` : '');
      return { reply: await cardFor(deps, item, scope.group, m, lead) };
    }

    case 'list':
      return listFor(deps, req, cmd);

    case 'show': {
      const { scope, item } = await itemForActor(db, req, cmd.id, 'read');
      return { reply: await cardFor(deps, item, scope.group, m) };
    }

    case 'done': {
      const r = await completeItem(deps, req, cmd.id);
      return r.duplicate ? {} : say(m.actionDone(formatItemId(cmd.id)));
    }

    case 'cancel': {
      const r = await cancelItem(deps, req, cmd.id);
      return r.duplicate ? {} : say(m.actionCancelled(formatItemId(cmd.id)));
    }

    case 'reopen': {
      const r = await reopenItem(deps, req, cmd.id);
      return r.duplicate ? {} : say(m.actionReopened(formatItemId(cmd.id)));
    }

    case 'reassign': {
      const { scope } = await itemForActor(db, req, cmd.id, 'write');
      const owner = await ownerFrom(deps, scope, cmd.owner, actionUsageOf('reassign'));
      const r = await reassignItem(deps, req, cmd.id, owner);
      if (r.duplicate) return {};
      return { reply: await cardFor(deps, r.value.item, scope.group, m, m.actionReassigned(formatItemId(cmd.id))) };
    }

    case 'due': {
      const { scope } = await itemForActor(db, req, cmd.id, 'write');
      const dueAt = readDue(cmd.when, scope.group, now, actionUsageOf('due'));
      const r = await rescheduleItem(deps, req, cmd.id, dueAt);
      return r.duplicate ? {} : say(m.actionRescheduled(formatItemId(cmd.id), dueText(dueAt, scope.group.time_zone)));
    }

    case 'snooze': {
      const r = await snoozeItem(deps, req, cmd.id, cmd.snooze);
      if (r.duplicate) return {};
      const { item, scope } = r.value;
      return say(m.actionSnoozed(formatItemId(cmd.id), formatInstant(item.snoozed_until!, scope.group.time_zone)));
    }

    case 'settings': {
      const scope = await scopeForChannel(db, req, req.channelId);
      const current = await reminderSettingsOf(db, scope);
      if (Object.keys(cmd.options).length === 0) {
        authorize(scope, 'read');
        return say(`${m.actionSettingsTitle(esc(scope.group.name))}\n${settingsText(current, m)}`);
      }
      const next = readSettings(cmd.options, current);
      const r = await updateReminderSettings(deps, req, scope, current, next);
      return r.duplicate ? {} : say(`${m.actionSettingsUpdated(r.value.items)}\n${settingsText(next, m)}`);
    }
  }
}
