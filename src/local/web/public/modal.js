// @ts-check
/**
 * The open modal (top of the person's stack, as the server keeps it) and Block Kit confirm
 * dialogs. Re-drawing a modal keeps what was typed, as Slack does when an app answers with
 * errors or updates the view.
 *
 * @typedef {import('./blocks.js').Ctx} Ctx
 * @typedef {{ view: any, errors: Record<string, string>, formError?: string }} Modal
 */
import { blocksToHtml } from './blocks.js';
import { collect, restore } from './forms.js';
import { escapeHtml as h, plainToHtml, textToHtml } from './mrkdwn.js';

const root = /** @type {HTMLElement} */ (document.getElementById('modal-root'));
let shownKey = '';
let shownViewId = '';

/**
 * @param {Modal | null} modal
 * @param {Omit<Ctx, 'surface' | 'errors'>} ctx
 * @param {{ submit(viewId: string, values: Record<string, import('./forms.js').Choice>): Promise<void>, close(viewId: string, values: Record<string, import('./forms.js').Choice>): Promise<void> }} on
 */
export function showModal(modal, ctx, on) {
  const key = modal ? JSON.stringify([modal.view.id, modal.view.hash, modal.errors, modal.formError ?? '', ctx.t.lang]) : '';
  if (key === shownKey) return;
  const kept = modal && modal.view.id === shownViewId ? collect(root) : {};
  shownKey = key;
  shownViewId = modal?.view.id ?? '';
  if (!modal) {
    root.innerHTML = '';
    return;
  }
  const v = modal.view;
  root.innerHTML = `<div class="overlay"><form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-view-id="${h(v.id)}" novalidate>
    <header><h2 id="modal-title">${plainToHtml(v.title)}</h2><button type="button" class="x" aria-label="${h(ctx.t.close)}">×</button></header>
    <div class="modal-body">${blocksToHtml(v.blocks ?? [], { ...ctx, surface: 'modal', errors: modal.errors })}</div>
    ${modal.formError ? `<div class="form-error" role="alert">${h(modal.formError)}</div>` : ''}
    <footer>
      <button type="button" class="btn cancel">${v.close ? plainToHtml(v.close) : h(ctx.t.cancel)}</button>
      ${v.submit ? `<button type="submit" class="btn primary submit">${plainToHtml(v.submit)}</button>` : ''}
    </footer>
  </form></div>`;
  restore(root, kept);
  const form = /** @type {HTMLFormElement} */ (root.querySelector('form'));
  const close = () => void on.close(v.id, collect(form));
  form.querySelector('.x')?.addEventListener('click', close);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  form.querySelector('.cancel')?.addEventListener('click', close);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = /** @type {HTMLButtonElement | null} */ (form.querySelector('.submit'));
    if (button) button.disabled = true;
    void on.submit(v.id, collect(form)).finally(() => {
      if (button) button.disabled = false;
    });
  });
  const first = /** @type {HTMLElement | null} */ (form.querySelector('.has-error [data-path], input, textarea, select'));
  first?.focus();
}

/**
 * A Block Kit confirmation object as a dialog; resolves true on confirm.
 * @param {any} c @param {import('./mrkdwn.js').Names} names @returns {Promise<boolean>}
 */
export function confirmDialog(c, names) {
  const host = /** @type {HTMLElement} */ (document.getElementById('confirm-root'));
  return new Promise((resolve) => {
    host.innerHTML = `<div class="overlay"><div class="modal confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
      <header><h2 id="confirm-title">${plainToHtml(c.title)}</h2></header>
      <div class="modal-body">${textToHtml(c.text, names)}</div>
      <footer><button type="button" class="btn deny">${plainToHtml(c.deny)}</button><button type="button" class="btn ${c.style === 'danger' ? 'danger' : 'primary'} ok">${plainToHtml(c.confirm)}</button></footer>
    </div></div>`;
    /** @param {boolean} yes */
    const done = (yes) => {
      host.innerHTML = '';
      resolve(yes);
    };
    host.querySelector('.deny')?.addEventListener('click', () => done(false));
    host.querySelector('.ok')?.addEventListener('click', () => done(true));
  });
}
