// @ts-check
/**
 * The message box: Enter sends, Shift+Enter starts a new line, "/" suggests the commands the
 * bot registered (plus /invite), Tab completes, ↑ in an empty box brings back the last input.
 * Mentions are typed as @name and #channel; the server escapes them as Slack does.
 */

/** @param {{ commands: string[], send(text: string): Promise<boolean> }} o */
export function setupComposer(o) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById('composer'));
  const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('input'));
  const list = /** @type {HTMLUListElement} */ (document.getElementById('suggestions'));
  /** @type {string[]} */
  const history = [];

  const matches = () => {
    const v = input.value;
    if (!v.startsWith('/') || /\s/.test(v)) return [];
    return o.commands.filter((c) => c.startsWith(v) && c !== v);
  };
  const suggest = () => {
    const found = matches();
    list.hidden = found.length === 0;
    list.replaceChildren(
      ...found.map((c) => {
        const li = document.createElement('li');
        const b = li.appendChild(document.createElement('button'));
        b.type = 'button';
        b.dataset.command = c;
        b.textContent = c;
        return li;
      }),
    );
  };
  /** @param {string} command */
  const complete = (command) => {
    input.value = `${command} `;
    list.hidden = true;
    input.focus();
  };

  input.addEventListener('input', () => {
    suggest();
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  });
  list.addEventListener('click', (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest('button');
    if (b) complete(b.dataset.command ?? '');
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && matches().length) {
      e.preventDefault();
      complete(matches()[0] ?? '');
    } else if (e.key === 'ArrowUp' && input.value === '' && history.length) {
      e.preventDefault();
      input.value = history.at(-1) ?? '';
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    list.hidden = true;
    history.push(text);
    input.disabled = true;
    try {
      if (await o.send(text)) input.value = '';
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
}
