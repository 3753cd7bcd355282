import { escClip, quote } from '../src/slack/mrkdwn.js';
import type { ActionItem } from '../src/db/action-items.table.js';
import type { Group } from '../src/db/groups.table.js';
import { DEFAULT_DUE_HOUR, formatItemNo } from '../src/domain/action-item.js';
import { parseDateTimeInput, toDate } from '../src/domain/time.js';
import { capped } from '../src/domain/case-fields.js';
import { INPUT_MAX } from '../src/domain/input-limits.js';
import { InvalidInput, type Render } from '../src/errors.js';
import { mayWorkItem, type NewItem, type Owner } from '../src/services/actions.service.js';
import type { Scope } from '../src/services/scope.js';
import { itemCard } from '../src/slack/blocks/action-item.js';
import { dueText } from '../src/domain/time.js';
import type { Ctx, Effects } from '../src/slack/handler.js';
import type { Message } from '../src/slack/kit.js';
import type { OwnerWord } from './action.parse.js';
import { unitIdByName } from './case.shared.js';
import { itemRow } from '../src/services/reads.js';

/**
 * A due time as typed, read in the group's zone and looking forward ("friday" is the coming
 * one); a date without a time means 17:00 that day. Whether it may lie in the past is the
 * service's rule (actions.service.ts: a new item may, a moved due time may not).
 */
export function readDue(text: string, group: Group, now: Date, usage?: Render): Date {
  capped(text, (m) => m.actionFieldDue, INPUT_MAX.when, usage);
  const parsed = parseDateTimeInput(text, group.time_zone, now, { forward: true });
  if (!parsed) throw new InvalidInput((m) => m.badDateTime(quote(text)), usage);
  const at = parsed.hasTime ? parsed.at : parsed.at.withPlainTime({ hour: DEFAULT_DUE_HOUR });
  return toDate(at);
}

export async function ownerFrom(ctx: Ctx, scope: Scope, word: OwnerWord, usage?: Render): Promise<Owner> {
  if ('user' in word) return { userId: word.user };
  return { unitId: await unitIdByName(ctx.db, scope, word.unit, usage) };
}

/** The item's card for the reader (with the buttons they may use), optionally led by what just happened. */
export async function cardFor(ctx: Ctx, item: ActionItem, scope: Scope, lead?: string, caseRef?: string): Promise<Message> {
  // The case's reference and the owning unit's name are read, unless the caller knows the reference and no unit owns the item.
  const row = caseRef !== undefined && item.owner_unit_id === null ? undefined : await itemRow(ctx.db, item.id);
  const card = { item, caseRef: caseRef ?? row?.case_ref ?? '?', unitName: row?.unit_name ?? null, zone: scope.group.time_zone, now: ctx.clock.now(), mayWork: mayWorkItem(item, scope) };
  return itemCard(card, ctx.m, lead);
}

/**
 * The answer to an added item, the same from the command and the form: its card, led by the
 * due time as understood (a misread date is seen at once) and, past already, that it is overdue.
 */
export async function addedReply(ctx: Ctx, added: NewItem, caseRef: string, scope: Scope): Promise<Effects> {
  const { item, overdue } = added;
  const lead = ctx.m.sentences(ctx.m.actionAdded(formatItemNo(item.seq), caseRef, dueText(item.due_at, scope.group.time_zone, ctx.m)), overdue ? ctx.m.actionAlreadyOverdue : '');
  return { reply: await cardFor(ctx, item, scope, lead, caseRef) };
}

/** A done item, said the same from the command and the button: which item it was, and who did it. */
export function doneText(ctx: Ctx, item: ActionItem): string {
  return ctx.m.actionDone(formatItemNo(item.seq), escClip(item.text, 200), ctx.userId);
}
