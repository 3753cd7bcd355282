import { quote } from '../src/slack/mrkdwn.js';
import type { ActionItem } from '../src/db/action-items.table.js';
import type { Group } from '../src/db/groups.table.js';
import { DEFAULT_DUE_HOUR } from '../src/domain/action-item.js';
import { parseDateTimeInput, toDate } from '../src/domain/time.js';
import { capped } from '../src/domain/case-fields.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { InvalidInput, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import type { Owner } from '../src/services/actions.service.js';
import type { Scope } from '../src/services/scope.js';
import { dueText, itemCard } from '../src/slack/blocks/action-item.js';
import type { Deps } from '../src/slack/handler.js';
import type { Message } from '../src/slack/kit.js';
import type { OwnerWord } from './action.parse.js';
import { unitIdByName } from './case.shared.js';
import { itemRow } from '../src/services/reads.js';

/**
 * A due time as typed, read in the group's zone and looking forward ("friday" is the coming
 * one); a date without a time means 17:00 that day. Moving a due date (`due`, snoozes) must
 * go forward; a new item may be due in the past (`allowPast`), as when an office enters
 * matters that are already late: it starts overdue, and the reply says so.
 */
export function readDue(text: string, group: Group, now: Date, usage?: Render, opts: { allowPast?: boolean } = {}): Date {
  capped(text, (m) => m.actionFieldDue, INPUT_MAX.when, usage);
  const parsed = parseDateTimeInput(text, group.time_zone, now, { forward: true });
  if (!parsed) throw new InvalidInput((m) => m.badDateTime(quote(text)), usage);
  const at = parsed.hasTime ? parsed.at : parsed.at.withPlainTime({ hour: DEFAULT_DUE_HOUR });
  const due = toDate(at);
  if (!opts.allowPast && due.getTime() <= now.getTime()) throw new InvalidInput((m) => m.actionDueInPast(dueText(due, group.time_zone)), usage);
  return due;
}

export async function ownerFrom(deps: Deps, scope: Scope, word: OwnerWord, usage?: Render): Promise<Owner> {
  if ('user' in word) return { userId: word.user };
  return { unitId: await unitIdByName(deps.db, scope, word.unit, usage) };
}

/** The item's card for a reader, optionally with a line above it (what just happened). */
export async function cardFor(deps: Deps, item: ActionItem, group: Group, m: Messages, lead?: string): Promise<Message> {
  const row = await itemRow(deps.db, item.id);
  return itemCard({ item, caseRef: row?.case_ref ?? '?', unitName: row?.unit_name ?? null, zone: group.time_zone, now: deps.clock.now() }, m, lead);
}
