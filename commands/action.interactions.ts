import { ITEM_TEXT_MAX, formatItemId, parseItemId, type Snooze } from '../src/domain/action-item.js';
import { requiredText } from '../src/domain/case-fields.js';
import { InvalidInput } from '../src/errors.js';
import { addItem, completeItem, itemForActor, reassignItem, reopenItem, snoozeItem, type Owner } from '../src/services/actions.service.js';
import { caseForActor } from '../src/services/cases.service.js';
import type { Scope } from '../src/services/scope.js';
import { dueText } from '../src/slack/blocks/action-item.js';
import { addItemModal, reassignModal, type ActionModalMeta } from '../src/slack/blocks/action-modals.js';
import { formatInstant } from '../src/slack/format.js';
import type { Deps, Effects, Request, Submission } from '../src/slack/handler.js';
import { quote } from '../src/slack/mrkdwn.js';
import { carriedRef, pickedUnitId, pickedUser } from '../src/slack/payload.js';
import { cardFor, readDue } from './action.shared.js';
import { FormReader } from './case.interactions.js';
import { unitsOf } from '../src/services/reads.js';

export type ItemButton = 'done' | 'snooze1h' | 'snooze1d' | 'snooze1w' | 'reassign' | 'reopen' | 'show';

const snoozes: Partial<Record<ItemButton, Snooze>> = { snooze1h: '1h', snooze1d: '1d', snooze1w: '1w' };

/**
 * Buttons on reminders and item cards. The answer replaces the message that held the
 * button, so a reminder that was acted on no longer offers stale buttons.
 */
export async function itemButton(what: ItemButton, value: string, req: Request, deps: Deps): Promise<Effects> {
  const id = parseItemId(value);
  if (id === undefined) throw new InvalidInput((m) => m.actionBadId(quote(value)));
  const { m } = req;
  const tag = formatItemId(id);
  switch (what) {
    case 'show': {
      const { scope, item } = await itemForActor(deps.db, req, id, 'read');
      return { reply: await cardFor(deps, item, scope.group, m) };
    }
    case 'done': {
      const r = await completeItem(deps, req, id);
      return r.duplicate ? {} : { reply: { text: m.actionDone(tag) }, replaceOriginal: true };
    }
    case 'reopen': {
      const r = await reopenItem(deps, req, id);
      return r.duplicate ? {} : { reply: await cardFor(deps, r.value.item, r.value.scope.group, m, m.actionReopened(tag)), replaceOriginal: true };
    }
    case 'reassign': {
      const { scope } = await itemForActor(deps.db, req, id, 'write');
      const meta: ActionModalMeta = { channel: req.channelId, item: id };
      return { modal: reassignModal(meta, await unitsOf(deps.db, scope), m) };
    }
    default: {
      const r = await snoozeItem(deps, req, id, snoozes[what]!);
      if (r.duplicate) return {};
      return { reply: { text: m.actionSnoozed(tag, formatInstant(r.value.item.snoozed_until!, r.value.scope.group.time_zone)) }, replaceOriginal: true };
    }
  }
}

/** "Add action item" on a case card: the form. */
export async function addItemButton(value: string, req: Request, deps: Deps): Promise<Effects> {
  const { scope, case: c } = await caseForActor(deps.db, req, carriedRef(value), 'write');
  return { modal: addItemModal({ channel: req.channelId, ref: c.ref }, await unitsOf(deps.db, scope), req.m) };
}

/** Exactly one of the two owner inputs; neither means the person filling in the form. */
async function ownerOf(f: FormReader, scope: Scope, deps: Deps, fallback: string): Promise<Owner | undefined> {
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
    const units = await unitsOf(deps.db, scope);
    if (units.some((u) => u.id === unitId)) return { unitId };
    f.read('unit', () => {
      throw new InvalidInput((m) => m.required(m.actionFieldUnit));
    });
    return undefined;
  }
  return { userId: user ?? fallback };
}

export async function submitAddItem(values: Record<string, string | null>, meta: ActionModalMeta, req: Request, deps: Deps): Promise<Submission> {
  const { scope, case: c } = await caseForActor(deps.db, req, carriedRef(meta.ref), 'write');
  const now = deps.clock.now();
  const f = new FormReader(values, req.m);
  const text = f.read('text', (v) => requiredText(v, (m) => m.actionFieldText, ITEM_TEXT_MAX));
  const dueAt = f.read('due', (v) => readDue(v ?? '', scope.group, now));
  const owner = await ownerOf(f, scope, deps, req.userId);
  if (!f.ok || !owner) return { errors: f.errors };
  return {
    run: async () => {
      const r = await addItem(deps, req, scope, { case: c, text: text!, owner, dueAt: dueAt! });
      if (r.duplicate) return {};
      const { item } = r.value;
      return { reply: await cardFor(deps, item, scope.group, req.m, req.m.actionAdded(formatItemId(item.id), c.ref, dueText(item.due_at, scope.group.time_zone))) };
    },
  };
}

export async function submitReassign(values: Record<string, string | null>, meta: ActionModalMeta, req: Request, deps: Deps): Promise<Submission> {
  const id = meta.item;
  if (id === undefined) throw new InvalidInput((m) => m.staleButton);
  const { scope } = await itemForActor(deps.db, req, id, 'write');
  const f = new FormReader(values, req.m);
  const owner = await ownerOf(f, scope, deps, req.userId);
  if (!f.ok || !owner) return { errors: f.errors };
  return {
    run: async () => {
      const r = await reassignItem(deps, req, id, owner);
      if (r.duplicate) return {};
      return { reply: await cardFor(deps, r.value.item, scope.group, req.m, req.m.actionReassigned(formatItemId(id))) };
    },
  };
}
