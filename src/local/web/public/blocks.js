// @ts-check
/**
 * Block Kit as HTML, generically: every block and element type is drawn from its JSON, so a
 * new message or form from the bot needs no change here. Interactive elements carry
 * `data-path` (block index, then element index or "accessory"); the page sends only that
 * path and the choice, and the server builds the Slack payload from the stored blocks.
 * A type this renderer does not know is shown as such, never silently dropped.
 *
 * @typedef {import('./mrkdwn.js').Names} Names
 * @typedef {{ id: string, name: string, real_name?: string, locale?: string, deleted?: boolean, is_bot?: boolean }} Person
 * @typedef {{ id: string, name: string, im?: boolean }} Room
 * @typedef {{ names: Names, people: Person[], rooms: Room[], t: import('./labels.js').Labels, surface: 'message' | 'modal' | 'home', errors?: Record<string, string> }} Ctx
 */
import { escapeHtml as h, plainToHtml, textToHtml } from './mrkdwn.js';

/** @param {any} o */
const attr = (o) => h(JSON.stringify(o));

/** @param {any[]} options @param {string | undefined} selected */
function optionTags(options, selected) {
  return options.map((o) => `<option value="${h(String(o.value))}"${o.value === selected ? ' selected' : ''}>${plainToHtml(o.text)}</option>`).join('');
}

/** @param {any} el */
function allOptions(el) {
  if (Array.isArray(el.option_groups)) {
    return el.option_groups.map((/** @type {any} */ g) => `<optgroup label="${h(String(g.label?.text ?? ''))}">${optionTags(g.options ?? [], el.initial_option?.value)}</optgroup>`).join('');
  }
  return optionTags(el.options ?? [], el.initial_option?.value);
}

/** @param {any} el @param {string} fallback */
const placeholder = (el, fallback) => `<option value="">${el.placeholder ? plainToHtml(el.placeholder) : fallback}</option>`;

/**
 * One element. In messages and the Home, picking in a select is an action at once; in a
 * modal, values wait for submit (as in Slack).
 * @param {any} el @param {string} path @param {Ctx} ctx
 */
export function element(el, path, ctx) {
  const data = `data-path="${h(path)}" data-type="${h(String(el.type))}"`;
  const dispatch = ctx.surface !== 'modal' || el.type === 'button' ? ' data-dispatch="1"' : '';
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` ${el.style}` : '';
      const confirm = el.confirm ? ` data-confirm="${attr(el.confirm)}"` : '';
      const url = el.url ? ` data-url="${h(String(el.url))}"` : '';
      return `<button type="button" class="btn${style}" ${data}${dispatch}${confirm}${url}>${plainToHtml(el.text)}</button>`;
    }
    case 'static_select':
    case 'external_select':
      return `<select ${data}${dispatch}>${el.initial_option ? '' : placeholder(el, h(ctx.t.selectItem))}${allOptions(el)}</select>`;
    case 'overflow':
      return `<select class="overflow" ${data}${dispatch}><option value="">⋯</option>${optionTags(el.options ?? [], undefined)}</select>`;
    case 'multi_static_select':
      return `<select multiple ${data}>${optionTags(el.options ?? [], undefined)}</select>`;
    case 'users_select':
    case 'multi_users_select': {
      const people = ctx.people.filter((p) => !p.deleted && !p.is_bot);
      const opts = people.map((p) => `<option value="${h(p.id)}"${p.id === el.initial_user ? ' selected' : ''}>${h(p.real_name ?? p.name)} (@${h(p.name)})</option>`).join('');
      const multiple = el.type === 'multi_users_select' ? ' multiple' : '';
      return `<select${multiple} ${data}${dispatch}>${multiple || el.initial_user ? '' : placeholder(el, h(ctx.t.selectPerson))}${opts}</select>`;
    }
    case 'conversations_select':
    case 'channels_select': {
      const initial = el.initial_conversation ?? el.initial_channel;
      const opts = ctx.rooms.filter((r) => !r.im).map((r) => `<option value="${h(r.id)}"${r.id === initial ? ' selected' : ''}>#${h(r.name)}</option>`).join('');
      return `<select ${data}${dispatch}>${initial ? '' : placeholder(el, h(ctx.t.selectChannel))}${opts}</select>`;
    }
    case 'datepicker':
      return `<input type="date" ${data}${dispatch} value="${h(String(el.initial_date ?? ''))}"${el.placeholder ? ` title="${h(el.placeholder.text)}"` : ''}>`;
    case 'timepicker':
      return `<input type="time" ${data}${dispatch} value="${h(String(el.initial_time ?? ''))}">`;
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const max = typeof el.max_length === 'number' ? ` maxlength="${el.max_length}"` : '';
      const ph = el.placeholder ? ` placeholder="${h(String(el.placeholder.text))}"` : '';
      const value = String(el.initial_value ?? '');
      if (el.multiline) return `<textarea rows="4" ${data}${max}${ph}>${h(value)}</textarea>`;
      const type = { number_input: 'number', email_text_input: 'email', url_text_input: 'url' }[/** @type {string} */ (el.type)] ?? 'text';
      return `<input type="${type}" ${data}${max}${ph} value="${h(value)}">`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const kind = el.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = new Set((el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map((/** @type {any} */ o) => o.value));
      const items = (el.options ?? []).map((/** @type {any} */ o) => `<label class="choice"><input type="${kind}" name="${h(path)}" value="${h(String(o.value))}"${initial.has(o.value) ? ' checked' : ''}> ${textToHtml(o.text, ctx.names)}</label>`);
      return `<div class="choices" ${data}>${items.join('')}</div>`;
    }
    case 'image':
      return `<img class="thumb" src="${h(String(el.image_url ?? ''))}" alt="${h(String(el.alt_text ?? ''))}">`;
    default:
      return `<span class="unknown">${h(ctx.t.unknownElement(String(el.type)))}</span>`;
  }
}

/** @param {any} b @param {number} i @param {Ctx} ctx */
function input(b, i, ctx) {
  const id = typeof b.block_id === 'string' ? b.block_id : `b${i}`;
  const error = ctx.errors?.[id];
  const optional = b.optional === true ? ` <span class="optional">${h(ctx.t.optional)}</span>` : '';
  return `<div class="block input${error ? ' has-error' : ''}" data-block-id="${h(id)}">
    <label class="label">${plainToHtml(b.label)}${optional}</label>
    ${element(b.element ?? {}, String(i), ctx)}
    ${b.hint ? `<div class="hint">${plainToHtml(b.hint)}</div>` : ''}
    ${error ? `<div class="error" role="alert">${h(error)}</div>` : ''}
  </div>`;
}

/** @param {any} b @param {number} i @param {Ctx} ctx */
export function block(b, i, ctx) {
  const n = ctx.names;
  switch (b.type) {
    case 'header':
      return `<h3 class="block header">${plainToHtml(b.text)}</h3>`;
    case 'section': {
      const text = b.text ? `<div class="text">${textToHtml(b.text, n)}</div>` : '';
      const fields = Array.isArray(b.fields) ? `<div class="fields">${b.fields.map((/** @type {any} */ f) => `<div class="field">${textToHtml(f, n)}</div>`).join('')}</div>` : '';
      const accessory = b.accessory ? `<div class="accessory">${element(b.accessory, `${i}.accessory`, ctx)}</div>` : '';
      return `<div class="block section"><div class="main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const els = (b.elements ?? []).map((/** @type {any} */ e) => (e.type === 'image' ? `<img class="ctx-img" src="${h(String(e.image_url))}" alt="${h(String(e.alt_text ?? ''))}">` : `<span>${textToHtml(e, n)}</span>`));
      return `<div class="block context">${els.join('')}</div>`;
    }
    case 'divider':
      return '<hr class="block divider">';
    case 'image':
      return `<figure class="block image">${b.title ? `<figcaption>${plainToHtml(b.title)}</figcaption>` : ''}<img src="${h(String(b.image_url ?? ''))}" alt="${h(String(b.alt_text ?? ''))}"></figure>`;
    case 'actions':
      return `<div class="block actions">${(b.elements ?? []).map((/** @type {any} */ e, /** @type {number} */ j) => element(e, `${i}.${j}`, ctx)).join('')}</div>`;
    case 'input':
      return input(b, i, ctx);
    default:
      return `<div class="block unknown">${h(ctx.t.unknownBlock(String(b.type)))}</div>`;
  }
}

/** @param {any[]} blocks @param {Ctx} ctx */
export function blocksToHtml(blocks, ctx) {
  return blocks.map((b, i) => block(b, i, ctx)).join('');
}
