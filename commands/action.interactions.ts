import { ITEM_TEXT_MAX, formatItemNo, type Snooze } from '../src/domain/action-item.js';
import { requiredText } from '../src/domain/case-fields.js';
import { InvalidInput } from '../src/errors.js';
import { addItem, assertCaseOpen, assertOwnerIsMember, completeItem, itemForActor, reassignItem, reopenItem, snoozeItem, type Owner } from '../src/services/actions.service.js';
import { caseForActor } from '../src/services/cases.service.js';
import type { Scope } from '../src/services/scope.js';
import { addItemModal, itemNamed, reassignModal, type ActionModalMeta } from '../src/slack/blocks/action-modals.js';
import { caseNamed, naming } from '../src/slack/blocks/case-modals.js';
import { formatInstant } from '../src/domain/time.js';
import type { Ctx, Effects, Submission } from '../src/slack/handler.js';
import { carriedItemId, carriedRef, pickedUnitId, pickedUser } from '../src/slack/payload.js';
import { addedReply, cardFor, doneText, readDue } from './action.shared.js';
import { FormReader } from '../src/slack/forms.js';
import { itemRow, unitsOf } from '../src/services/reads.js';

export type ItemButton = 'done' | 'snooze1h' | 'snooze1d' | 'snooze1w' | 'reassign' | 'reopen' | 'show';

const snoozes: Partial<Record<ItemButton, Snooze>> = { snooze1h: '1h', snooze1d: '1d', snooze1w: '1w' };

/**
 * Buttons on reminders and item cards. They carry the item's row id, not its number: a
 * reminder is a direct message, where no channel says whose #3 it is. The answer replaces the
 * message that held the button, so a reminder that was acted on no longer offers stale buttons.
 */
export async function itemButton(what: ItemButton, value: string, ctx: Ctx): Promise<Effects> {
  const id = carriedItemId(value);
  const { m } = ctx;
  switch (what) {
    case 'show': {
      const { scope, item } = await itemForActor(ctx, id, 'read');
      return { reply: await cardFor(ctx, item, scope) };
    }
    case 'done': {
      const r = await completeItem(ctx, id);
      return r.duplicate ? {} : { reply: { text: doneText(ctx, r.value.item) }, replaceOriginal: true };
    }
    case 'reopen': {
      const r = await reopenItem(ctx, id);
      return r.duplicate ? {} : { reply: await cardFor(ctx, r.value.item, r.value.scope, m.actionReopened(formatItemNo(r.value.item.seq))), replaceOriginal: true };
    }
    case 'reassign': {
      const { scope, item } = await itemForActor(ctx, id, 'write');
      const meta: ActionModalMeta = { channel: ctx.channelId, item: id };
      const row = await itemRow(ctx.db, id);
      return { modal: naming(reassignModal(meta, await unitsOf(ctx.db, scope), m), itemNamed(item, row?.case_ref ?? '?', m)) };
    }
    default: {
      const r = await snoozeItem(ctx, id, snoozes[what]!);
      if (r.duplicate) return {};
      return { reply: { text: m.actionSnoozed(formatItemNo(r.value.item.seq), formatInstant(r.value.item.snoozed_until!, r.value.scope.group.time_zone)) }, replaceOriginal: true };
    }
  }
}

/** "Add action item" on a case card: the form. */
export async function addItemButton(value: string, ctx: Ctx): Promise<Effects> {
  const { scope, case: c } = await caseForActor(ctx, carriedRef(value), 'write');
  // A card posted before the case closed still offers the button.
  assertCaseOpen(c);
  return { modal: naming(addItemModal({ channel: ctx.channelId, ref: c.ref }, await unitsOf(ctx.db, scope), ctx.m), caseNamed(c)) };
}

/** Exactly one of the two owner inputs; neither means the person filling in the form. */
async function ownerOf(f: FormReader, scope: Scope, ctx: Ctx, fallback: string): Promise<Owner | undefined> {
  const user = f.read('owner', pickedUser);
  const unitId = f.read('unit', pickedUnitId);
  if (user === undefined || unitId === undefined) return undefined; // refused: the reader holds why
  if (user && unitId) {
    f.read('unit', () => {
      throw new InvalidInput((m) => m.actionOneOwner);
    });
    return undefined;
  }
  if (unitId) {
    const units = await unitsOf(ctx.db, scope);
    if (units.some((u) => u.id === unitId)) return { unitId };
    f.read('unit', () => {
      throw new InvalidInput((m) => m.required(m.actionFieldUnit));
    });
    return undefined;
  }
  return { userId: user ?? fallback };
}

export async function submitAddItem(values: Record<string, string | null>, meta: ActionModalMeta, ctx: Ctx): Promise<Submission> {
  const { scope, case: c } = await caseForActor(ctx, carriedRef(meta.ref), 'write');
  const now = ctx.clock.now();
  const f = new FormReader(values, ctx.m);
  const text = f.read('text', (v) => requiredText(v, (m) => m.actionFieldText, ITEM_TEXT_MAX));
  const dueAt = f.read('due', (v) => readDue(v ?? '', scope.group, now));
  const owner = await ownerOf(f, scope, ctx, ctx.userId);
  if (!f.ok || !owner) return { errors: f.errors };
  // The service's rules, checked now so that a refusal shows on the form; again under lock when it runs.
  f.read('text', () => assertCaseOpen(c));
  await f.check('owner', () => assertOwnerIsMember(ctx.db, scope, owner));
  if (!f.ok) return { errors: f.errors };
  return {
    run: async () => {
      const r = await addItem(ctx, scope, { case: c, text: text!, owner, dueAt: dueAt! });
      return r.duplicate ? {} : addedReply(ctx, r.value, c.ref, scope);
    },
  };
}

export async function submitReassign(values: Record<string, string | null>, meta: ActionModalMeta, ctx: Ctx): Promise<Submission> {
  const id = meta.item;
  if (id === undefined) throw new InvalidInput((m) => m.staleButton);
  const { scope, item } = await itemForActor(ctx, id, 'write');
  const f = new FormReader(values, ctx.m);
  const owner = await ownerOf(f, scope, ctx, ctx.userId);
  if (!f.ok || !owner) return { errors: f.errors };
  return {
    run: async () => {
      const r = await reassignItem(ctx, id, owner);
      if (r.duplicate) return {};
      return { reply: await cardFor(ctx, r.value.item, scope, ctx.m.actionReassigned(formatItemNo(item.seq))) };
    },
  };
}
