// @ts-check
/**
 * What a person entered in a surface (a modal, or a view's actions), keyed by element path,
 * and the other way round: putting entered values back after a re-render (Slack keeps what
 * you typed when the app answers with errors or updates the view).
 *
 * @typedef {string | string[] | null} Choice
 */

/** @param {Element} el @returns {Choice} */
export function valueOf(el) {
  if (el instanceof HTMLSelectElement) {
    if (el.multiple) return [...el.selectedOptions].map((o) => o.value);
    return el.value === '' ? null : el.value;
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value === '' ? null : el.value;
  const boxes = [...el.querySelectorAll('input')];
  const checked = boxes.filter((b) => b.checked).map((b) => b.value);
  return boxes.some((b) => b.type === 'radio') ? (checked[0] ?? null) : checked;
}

/** @param {ParentNode} root @returns {Record<string, Choice>} */
export function collect(root) {
  /** @type {Record<string, Choice>} */
  const out = {};
  for (const el of root.querySelectorAll('[data-path]')) {
    if (el instanceof HTMLButtonElement || el.tagName === 'IMG') continue;
    out[/** @type {string} */ (el.getAttribute('data-path'))] = valueOf(el);
  }
  return out;
}

/** @param {ParentNode} root @param {Record<string, Choice>} values */
export function restore(root, values) {
  for (const [path, v] of Object.entries(values)) {
    const el = root.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!el) continue;
    if (el instanceof HTMLSelectElement) {
      const wanted = new Set(Array.isArray(v) ? v : v === null ? [''] : [v]);
      for (const o of el.options) o.selected = wanted.has(o.value);
    } else if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      el.value = typeof v === 'string' ? v : '';
    } else {
      const wanted = new Set(Array.isArray(v) ? v : v === null ? [] : [v]);
      for (const b of el.querySelectorAll('input')) b.checked = wanted.has(b.value);
    }
  }
}
