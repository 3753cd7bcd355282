/**
 * The Block Kit checks real Slack enforces on the blocks docket sends, so that what passes
 * the fake passes Slack. Returns a list of problems, each naming the path of the bad part.
 */
type Obj = Record<string, unknown>;

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function len(s: string): number {
  return [...s].length;
}

class Checker {
  readonly problems: string[] = [];
  /** Slack wants action ids unique within their block (a modal's inputs may all use "v"). */
  private actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  fail(path: string, msg: string): void {
    this.problems.push(`${path}: ${msg}`);
  }

  text(v: unknown, path: string, opts: { max: number; plainOnly?: boolean; required?: boolean }): void {
    if (v === undefined && !opts.required) return;
    if (!isObj(v)) return this.fail(path, 'must be a text object');
    if (v.type !== 'plain_text' && v.type !== 'mrkdwn') return this.fail(path, 'type must be plain_text or mrkdwn');
    if (opts.plainOnly && v.type !== 'plain_text') return this.fail(path, 'must be plain_text');
    if (v.type === 'mrkdwn' && 'emoji' in v) this.fail(path, 'emoji is not allowed on mrkdwn');
    if (typeof v.text !== 'string' || v.text.length === 0) return this.fail(path, 'text must be a non-empty string');
    if (len(v.text) > opts.max) this.fail(path, `must be at most ${opts.max} characters`);
  }

  actionId(el: Obj, path: string): void {
    const id = el.action_id;
    if (id === undefined) return;
    if (typeof id !== 'string' || len(id) > 255) return this.fail(`${path}.action_id`, 'must be a string of at most 255 characters');
    if (this.actionIds.has(id)) this.fail(`${path}.action_id`, `duplicate action_id "${id}" in one block`);
    this.actionIds.add(id);
  }

  option(o: unknown, path: string): void {
    if (!isObj(o)) return this.fail(path, 'must be an option object');
    this.text(o.text, `${path}.text`, { max: 75, plainOnly: true, required: true });
    if (typeof o.value !== 'string' || len(o.value) > 150) this.fail(`${path}.value`, 'must be a string of at most 150 characters');
  }

  element(el: unknown, path: string, surface: Surface): void {
    if (!isObj(el)) return this.fail(path, 'must be an element object');
    this.actionId(el, path);
    switch (el.type) {
      case 'button':
        this.text(el.text, `${path}.text`, { max: 75, plainOnly: true, required: true });
        if (el.value !== undefined && (typeof el.value !== 'string' || len(el.value) > 2000)) this.fail(`${path}.value`, 'must be at most 2000 characters');
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') this.fail(`${path}.style`, 'must be primary or danger');
        if (isObj(el.confirm)) this.confirm(el.confirm, `${path}.confirm`);
        return;
      case 'static_select': {
        this.text(el.placeholder, `${path}.placeholder`, { max: 150, plainOnly: true });
        const opts = el.options;
        if (!Array.isArray(opts) || opts.length === 0 || opts.length > 100) return this.fail(`${path}.options`, 'must have 1 to 100 options');
        opts.forEach((o, i) => this.option(o, `${path}.options[${i}]`));
        if (el.initial_option !== undefined) this.option(el.initial_option, `${path}.initial_option`);
        return;
      }
      case 'multi_static_select': {
        this.text(el.placeholder, `${path}.placeholder`, { max: 150, plainOnly: true });
        const opts = el.options;
        if (!Array.isArray(opts) || opts.length === 0 || opts.length > 100) return this.fail(`${path}.options`, 'must have 1 to 100 options');
        opts.forEach((o, i) => this.option(o, `${path}.options[${i}]`));
        if (el.initial_options !== undefined) {
          if (!Array.isArray(el.initial_options)) return this.fail(`${path}.initial_options`, 'must be an array of options');
          el.initial_options.forEach((o, i) => this.option(o, `${path}.initial_options[${i}]`));
        }
        if (el.max_selected_items !== undefined && !(typeof el.max_selected_items === 'number' && el.max_selected_items >= 1)) this.fail(`${path}.max_selected_items`, 'must be at least 1');
        return;
      }
      case 'users_select':
      case 'conversations_select':
      case 'channels_select':
      case 'datepicker':
      case 'timepicker':
        this.text(el.placeholder, `${path}.placeholder`, { max: 150, plainOnly: true });
        return;
      case 'plain_text_input':
        if (surface === 'message') this.fail(path, 'plain_text_input is only allowed in modals and Home');
        if (typeof el.max_length === 'number' && el.max_length > 3000) this.fail(`${path}.max_length`, 'must be at most 3000');
        this.text(el.placeholder, `${path}.placeholder`, { max: 150, plainOnly: true });
        return;
      case 'checkboxes':
      case 'radio_buttons': {
        const opts = el.options;
        if (!Array.isArray(opts) || opts.length === 0 || opts.length > 10) return this.fail(`${path}.options`, 'must have 1 to 10 options');
        opts.forEach((o, i) => {
          if (!isObj(o)) return this.fail(`${path}.options[${i}]`, 'must be an option object');
          this.text(o.text, `${path}.options[${i}].text`, { max: 75, required: true });
        });
        return;
      }
      case 'image':
        if (typeof el.image_url !== 'string' || typeof el.alt_text !== 'string') this.fail(path, 'image needs image_url and alt_text');
        return;
      case 'overflow': {
        const opts = el.options;
        if (!Array.isArray(opts) || opts.length < 1 || opts.length > 5) return this.fail(`${path}.options`, 'must have 1 to 5 options');
        opts.forEach((o, i) => this.option(o, `${path}.options[${i}]`));
        return;
      }
      default:
        this.fail(`${path}.type`, `unknown element type "${String(el.type)}"`);
    }
  }

  confirm(c: Obj, path: string): void {
    this.text(c.title, `${path}.title`, { max: 100, plainOnly: true, required: true });
    this.text(c.text, `${path}.text`, { max: 300, required: true });
    this.text(c.confirm, `${path}.confirm`, { max: 30, plainOnly: true, required: true });
    this.text(c.deny, `${path}.deny`, { max: 30, plainOnly: true, required: true });
  }

  block(b: unknown, path: string, surface: Surface): void {
    // Slack wants action ids unique within their block, not across the whole surface (every
    // input of a form may use the same action id; the block id tells them apart).
    this.actionIds.clear();
    if (!isObj(b)) return this.fail(path, 'must be a block object');
    this.actionIds = new Set();
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || len(b.block_id) > 255) this.fail(`${path}.block_id`, 'must be at most 255 characters');
      else if (this.blockIds.has(b.block_id)) this.fail(`${path}.block_id`, `duplicate block_id "${b.block_id}"`);
      else this.blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) return this.fail(path, 'section needs text or fields');
        this.text(b.text, `${path}.text`, { max: 3000 });
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) return this.fail(`${path}.fields`, 'must have at most 10 fields');
          b.fields.forEach((f, i) => this.text(f, `${path}.fields[${i}]`, { max: 2000, required: true }));
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${path}.accessory`, surface);
        return;
      }
      case 'header':
        return this.text(b.text, `${path}.text`, { max: 150, plainOnly: true, required: true });
      case 'divider':
        return;
      case 'context': {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > 10) return this.fail(`${path}.elements`, 'must have 1 to 10 elements');
        els.forEach((e, i) => {
          if (isObj(e) && e.type === 'image') this.element(e, `${path}.elements[${i}]`, surface);
          else this.text(e, `${path}.elements[${i}]`, { max: 3000, required: true });
        });
        return;
      }
      case 'image':
        if (typeof b.image_url !== 'string' || typeof b.alt_text !== 'string') this.fail(path, 'image needs image_url and alt_text');
        this.text(b.title, `${path}.title`, { max: 2000, plainOnly: true });
        return;
      case 'actions': {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) return this.fail(`${path}.elements`, 'must have 1 to 25 elements');
        els.forEach((e, i) => this.element(e, `${path}.elements[${i}]`, surface));
        return;
      }
      case 'input':
        if (surface === 'message') return this.fail(path, 'input blocks are only allowed in modals and Home');
        this.text(b.label, `${path}.label`, { max: 2000, plainOnly: true, required: true });
        this.text(b.hint, `${path}.hint`, { max: 2000, plainOnly: true });
        return this.element(b.element, `${path}.element`, surface);
      default:
        this.fail(`${path}.type`, `unknown block type "${String(b.type)}"`);
    }
  }

  blocks(blocks: unknown, surface: Surface, path = 'blocks'): void {
    if (!Array.isArray(blocks)) return this.fail(path, 'must be an array');
    if (blocks.length > MAX_BLOCKS[surface]) this.fail(path, `must have at most ${MAX_BLOCKS[surface]} blocks`);
    blocks.forEach((b, i) => this.block(b, `${path}[${i}]`, surface));
  }
}

export function checkBlocks(blocks: unknown, surface: Surface = 'message'): string[] {
  const c = new Checker();
  c.blocks(blocks, surface);
  return c.problems;
}

export function checkView(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ['view: must be an object'];
  if (view.type !== 'modal' && view.type !== 'home') return ['view.type: must be modal or home'];
  const surface: Surface = view.type;
  if (surface === 'modal') {
    c.text(view.title, 'view.title', { max: 24, plainOnly: true, required: true });
    c.text(view.submit, 'view.submit', { max: 24, plainOnly: true });
    c.text(view.close, 'view.close', { max: 24, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) c.fail('view.submit', 'a modal with input blocks needs a submit button');
  }
  if (typeof view.private_metadata === 'string' && len(view.private_metadata) > 3000) c.fail('view.private_metadata', 'must be at most 3000 characters');
  if (typeof view.callback_id === 'string' && len(view.callback_id) > 255) c.fail('view.callback_id', 'must be at most 255 characters');
  c.blocks(view.blocks, surface, 'view.blocks');
  return c.problems;
}
