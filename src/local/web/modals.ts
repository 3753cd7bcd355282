import { checkView } from '../../slack/fake/block-kit.js';
import { blockIdOf, elementAt, type Choice, type ElementPath } from '../../slack/fake/payloads.js';
import type { ClientWords } from './client-words.js';

/**
 * Slack's side of modals for one person: the stack of open views, the errors shown under
 * inputs, and what the Slack client checks before it lets a form be submitted at all.
 */
type Obj = Record<string, any>;

export interface ModalState {
  stack: string[];
  /** Inline errors by block_id, from `response_action: errors` or the client's own checks. */
  errors: Record<string, string>;
  /** A problem with the whole form (the app's answer was refused, or it did not answer). */
  formError?: string;
}

const TEXT_INPUTS = new Set(['plain_text_input', 'number_input', 'email_text_input', 'url_text_input']);

function isEmpty(choice: Choice | undefined): boolean {
  if (choice === null || choice === undefined) return true;
  if (Array.isArray(choice)) return choice.length === 0;
  return choice.trim() === '';
}

/** What the Slack client refuses before sending, in the person's words: required inputs left empty, text outside its length limits. */
export function clientChecks(view: Obj, values: Record<ElementPath, Choice>, words: ClientWords): Record<string, string> {
  const errors: Record<string, string> = {};
  (view.blocks as Obj[]).forEach((block, i) => {
    if (block.type !== 'input' || !block.element) return;
    const choice = values[String(i)];
    const id = blockIdOf(block, i);
    if (isEmpty(choice)) {
      if (block.optional !== true) errors[id] = words.required;
      return;
    }
    const el = block.element as Obj;
    if (TEXT_INPUTS.has(el.type) && typeof choice === 'string') {
      const n = [...choice].length;
      if (typeof el.min_length === 'number' && n < el.min_length) errors[id] = words.atLeast(el.min_length);
      if (typeof el.max_length === 'number' && n > el.max_length) errors[id] = words.atMost(el.max_length);
    }
  });
  return errors;
}

/** Keeps only values whose path names an element of the view. */
export function knownValues(view: Obj, values: Record<string, Choice>): Record<ElementPath, Choice> {
  const blocks = (view.blocks ?? []) as Obj[];
  return Object.fromEntries(Object.entries(values).filter(([path]) => elementAt(blocks, path) !== undefined));
}

export type ViewAnswer =
  | { kind: 'close' }
  | { kind: 'clear' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'update'; view: Obj }
  | { kind: 'push'; view: Obj }
  | { kind: 'refused'; reason: string };

/**
 * Reads the app's answer to a view_submission the way Slack does: an empty body closes the
 * form; `errors` must name input blocks of this view; `update` and `push` carry a view that
 * must pass Block Kit's checks. Anything else Slack refuses, and the person sees an error.
 */
export function readViewAnswer(view: Obj, body: string): ViewAnswer {
  if (body.trim() === '') return { kind: 'close' };
  let answer: Obj;
  try {
    answer = JSON.parse(body) as Obj;
  } catch {
    return { kind: 'refused', reason: 'the answer was not JSON' };
  }
  switch (answer.response_action) {
    case undefined:
      return { kind: 'close' };
    case 'clear':
      return { kind: 'clear' };
    case 'errors': {
      const inputs = new Set((view.blocks as Obj[]).map((b, i) => (b.type === 'input' ? blockIdOf(b, i) : '')).filter(Boolean));
      const errors = (answer.errors ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(errors).filter((k) => !inputs.has(k));
      if (unknown.length) return { kind: 'refused', reason: `errors name blocks that are not inputs of this view: ${unknown.join(', ')}` };
      return { kind: 'errors', errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])) };
    }
    case 'update':
    case 'push': {
      const problems = checkView(answer.view);
      if (problems.length) return { kind: 'refused', reason: `invalid view: ${problems.join('; ')}` };
      return { kind: answer.response_action, view: answer.view as Obj };
    }
    default:
      return { kind: 'refused', reason: `unknown response_action "${String(answer.response_action)}"` };
  }
}
