import { InvalidInput, type Render } from '../src/errors.js';
import { ITEM_ACTIONS } from '../src/slack/blocks/action-item.js';
import { ACTION_VIEWS } from '../src/slack/blocks/action-modals.js';
import { ACTIONS } from '../src/slack/blocks/case-card.js';
import { VIEWS, readMeta } from '../src/slack/blocks/case-modals.js';
import type { LogFields } from '../src/slack/deliver.js';
import type { Deps, Effects, Request } from '../src/slack/handler.js';
import type { CommandIntake, ViewIntake } from '../src/slack/intake.js';
import { fromSlackText } from '../src/slack/mrkdwn.js';
import * as actionCommand from './action.js';
import { addItemButton, itemButton, submitAddItem, submitReassign, type ItemButton } from './action.interactions.js';
import * as caseCommand from './case.js';
import { caseButton, submitClose, submitEdit, submitNote, submitOpen, submitPlan, submitStatus, type Submission } from './case.interactions.js';
import * as docketCommand from './docket.js';

/**
 * What docket answers, as data: slash commands, buttons (by action id) and forms (by
 * callback id). The Bolt listeners and the re-run of a request kept across a crash both read
 * these tables.
 */
interface CommandModule<C extends { sub: string }> {
  parse(text: string): C;
  handle(cmd: C, req: Request, deps: Deps): Promise<Effects>;
  /** The usage line of a subcommand, added to any bad-input reply that lacks one. */
  usageOf(sub: string): Render;
}

export const commands: Record<string, CommandModule<any>> = {
  '/docket': docketCommand,
  '/case': caseCommand,
  '/action': actionCommand,
};

type ButtonRun = (value: string, req: Request, deps: Deps) => Promise<Effects>;

const cardButton = (what: Parameters<typeof caseButton>[0]): ButtonRun => (ref, req, deps) => caseButton(what, ref, req, deps);
const itemAction = (what: ItemButton): ButtonRun => (id, req, deps) => itemButton(what, id, req, deps);

export const buttons: Record<string, ButtonRun> = {
  [ACTIONS.show]: cardButton('show'),
  [ACTIONS.edit]: cardButton('edit'),
  [ACTIONS.status]: cardButton('status'),
  [ACTIONS.note]: cardButton('note'),
  [ACTIONS.close]: cardButton('close'),
  [ACTIONS.closeConfirm]: (value, req, deps) => caseCommand.confirmClose(deps, req, caseCommand.parseCloseRequest(value)),
  [ACTIONS.cancel]: async (_value, req) => ({ reply: { text: req.m.cancelled }, replaceOriginal: true }),
  [ITEM_ACTIONS.done]: itemAction('done'),
  [ITEM_ACTIONS.snooze1h]: itemAction('snooze1h'),
  [ITEM_ACTIONS.snooze1d]: itemAction('snooze1d'),
  [ITEM_ACTIONS.snooze1w]: itemAction('snooze1w'),
  [ITEM_ACTIONS.reassign]: itemAction('reassign'),
  [ITEM_ACTIONS.reopen]: itemAction('reopen'),
  [ITEM_ACTIONS.show]: itemAction('show'),
  [ITEM_ACTIONS.add]: (ref, req, deps) => addItemButton(ref, req, deps),
  [docketCommand.DOCKET_ACTIONS.removeMember]: (user, req, deps) => docketCommand.confirmRemoval(deps, req, { user }),
  [docketCommand.DOCKET_ACTIONS.removeUnit]: (unit, req, deps) => docketCommand.confirmRemoval(deps, req, { unit }),
};

type Submitter = (values: Record<string, string | null>, meta: ReturnType<typeof readMeta>, req: Request, deps: Deps) => Promise<Submission>;

export const forms: Record<string, Submitter> = {
  [VIEWS.open]: submitOpen,
  [VIEWS.edit]: submitEdit,
  [VIEWS.note]: submitNote,
  [VIEWS.plan]: submitPlan,
  [VIEWS.status]: submitStatus,
  [VIEWS.close]: submitClose,
  [ACTION_VIEWS.add]: submitAddItem,
  [ACTION_VIEWS.reassign]: submitReassign,
};

export async function runCommand(i: CommandIntake, req: Request, deps: Deps, fields: LogFields): Promise<Effects> {
  const mod = commands[i.command];
  if (!mod || !Object.hasOwn(commands, i.command)) return {};
  const cmd = mod.parse(fromSlackText(i.text));
  fields.sub = cmd.sub;
  try {
    return await mod.handle(cmd, req, deps);
  } catch (err) {
    // Rules deep in a service do not know which command asked; the usage line is added here.
    if (err instanceof InvalidInput && !err.usage) throw new InvalidInput(err.render, mod.usageOf(cmd.sub));
    throw err;
  }
}

export function runButton(actionId: string, value: string, req: Request, deps: Deps): Promise<Effects> {
  return Object.hasOwn(buttons, actionId) ? buttons[actionId]!(value, req, deps) : Promise.resolve({});
}

/** A form's checks: its errors (shown inline, before the ack) or the change to run after it. */
export function submitForm(i: ViewIntake, req: Request, deps: Deps): Promise<Submission> {
  if (!Object.hasOwn(forms, i.callbackId)) return Promise.resolve({ run: async () => ({}) });
  return forms[i.callbackId]!(i.values, readMeta(i.privateMetadata), req, deps);
}
