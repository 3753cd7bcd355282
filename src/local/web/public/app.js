// @ts-check
/**
 * The local workspace page: a channel list, the messages one person sees, a composer for
 * slash commands, a user switcher, the App Home and modals. It reads the fake Slack's state
 * from /_local/view and re-reads it whenever the server says something changed (server-sent
 * events); everything a person does is POSTed to /_local/*, which signs it like Slack and
 * sends it to docket's /slack/events. Nothing here knows any docket command or block.
 *
 * @typedef {import('./blocks.js').Person} Person
 * @typedef {import('./blocks.js').Room} Room
 * @typedef {import('./forms.js').Choice} Choice
 * @typedef {import('./labels.js').Labels} Labels
 * @typedef {{ ts: string, user: string, text?: string, blocks?: any[], ephemeral: boolean }} Message
 * @typedef {{ seq: number, method: string, error: string, problems: string[] }} Refusal
 * @typedef {{ channels: (Room & { botMember: boolean, private: boolean })[], counts: Record<string, number>, messages: Message[], modal: import('./modal.js').Modal | null, home: any, refused: Refusal[] }} View
 */
import { blocksToHtml } from './blocks.js';
import { setupComposer } from './composer.js';
import { collect } from './forms.js';
import { labelsFor } from './labels.js';
import { confirmDialog, showModal } from './modal.js';
import { escapeHtml as h, mrkdwnToHtml } from './mrkdwn.js';

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const params = new URLSearchParams(location.search);

/** @type {{ team: string, bot: Person, users: Person[], commands: string[] }} */
const dir = await (await fetch('/_local/directory')).json();
let me = (dir.users.find((u) => u.name === params.get('as') || u.id === params.get('as')) ?? dir.users[0])?.id ?? '';
/** The open channel's id, or "home" for the App Home. */
let current = params.get('channel') ?? 'fugitive-recovery';
/** @type {View | undefined} */
let view;
/** @type {Record<string, number>} */
const seen = {};
/** The page's own words, in the acting person's language. @type {Labels} */
let t = labelsFor(undefined);
/** Refusals up to this call were there before the page opened, or were dismissed. */
let refusalsSeen = -1;

const names = {
  /** @param {string} id */
  userName: (id) => (id === dir.bot.id ? dir.bot.name : dir.users.find((u) => u.id === id)?.name),
  /** @param {string} id */
  channelName: (id) => view?.channels.find((c) => c.id === id)?.name,
};
const ctx = () => ({ names, people: dir.users, rooms: view?.channels ?? [], t });

/** Puts the acting person's language on the page's fixed parts (index.html marks them with data-t*). */
function applyLabels() {
  t = labelsFor(dir.users.find((u) => u.id === me)?.locale);
  document.documentElement.lang = t.lang;
  document.title = t.pageTitle;
  const text = /** @type {Record<string, unknown>} */ (t);
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = String(text[el.getAttribute('data-t') ?? '']);
  for (const attr of ['placeholder', 'aria-label']) {
    for (const el of document.querySelectorAll(`[data-t-${attr}]`)) el.setAttribute(attr, String(text[el.getAttribute(`data-t-${attr}`) ?? '']));
  }
}

/** @param {string} path @param {unknown} body */
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return /** @type {{ ok: boolean, error?: string, errors?: Record<string, string> }} */ (await res.json());
}

/** @param {string} text */
function showError(text) {
  $('composer-error').textContent = text;
}

function channelId() {
  if (current === 'home') return 'home';
  return view?.channels.find((c) => c.id === current || c.name === current)?.id ?? (current === 'dm' ? view?.channels.find((c) => c.im)?.id : undefined);
}

function renderSidebar() {
  if (!view) return;
  const open = channelId();
  /** @param {string} id @param {string} label @param {string} extra */
  const item = (id, label, extra = '') => {
    const unread = id !== 'home' && id !== open && (view?.counts[id] ?? 0) > (seen[id] ?? 0);
    return `<li><a href="#" data-open="${h(id)}" class="${id === open ? 'active' : ''}${unread ? ' unread' : ''}${extra}">${label}</a></li>`;
  };
  $('channels').innerHTML = view.channels.filter((c) => !c.im).map((c) => item(c.id, `# ${h(c.name)}`, c.botMember ? '' : ' no-bot')).join('');
  $('dms').innerHTML = view.channels.filter((c) => c.im).map((c) => item(c.id, `docket <span class="app-tag">${h(t.appTag)}</span>`)).join('');
  $('apps').innerHTML = item('home', h(t.home));
}

/** @param {Message} m */
function messageHtml(m) {
  const bot = m.user === dir.bot.id;
  const who = bot ? 'docket' : (dir.users.find((u) => u.id === m.user)?.real_name ?? m.user);
  const time = new Date(Number(m.ts.split('.')[0]) * 1000).toLocaleTimeString(t.lang, { hour: '2-digit', minute: '2-digit' });
  const body = m.blocks?.length ? blocksToHtml(m.blocks, { ...ctx(), surface: 'message' }) : `<div class="text">${mrkdwnToHtml(m.text ?? '', names)}</div>`;
  return `<article class="msg${m.ephemeral ? ' ephemeral' : ''}" data-ts="${h(m.ts)}">
    <div class="avatar${bot ? ' bot' : ''}">${h(who.slice(0, 1).toUpperCase())}</div>
    <div class="msg-body">
      <div class="meta"><span class="author">${h(who)}</span>${bot ? `<span class="app-tag">${h(t.appTag)}</span>` : ''}<time>${time}</time></div>
      ${body}
      ${m.ephemeral ? `<div class="only-you">${h(t.onlyYou)}</div>` : ''}
    </div>
  </article>`;
}

let shownMessages = '';
function renderMain() {
  if (!view) return;
  const id = channelId();
  const home = id === 'home';
  const room = view.channels.find((c) => c.id === id);
  $('title').textContent = home ? t.home : room?.im ? 'docket' : `# ${room?.name ?? current}`;
  $('topic').textContent = home ? t.homeTopic : room && !room.im && !room.botMember ? t.notInChannel : '';
  $('composer').hidden = home;
  let html;
  if (home) html = view.home ? `<div class="home">${blocksToHtml(view.home.blocks ?? [], { ...ctx(), surface: 'home' })}</div>` : `<p class="empty">${h(t.noHome)}</p>`;
  else html = view.messages.length ? view.messages.map(messageHtml).join('') : `<p class="empty">${t.noMessages}</p>`;
  if (html !== shownMessages) {
    shownMessages = html;
    const list = $('messages');
    list.innerHTML = html;
    list.scrollTop = list.scrollHeight;
  }
  if (id && id !== 'home') seen[id] = view.counts[id] ?? 0;
}

/** What the fake Slack refused since the page opened: real Slack would refuse it too, so the developer should know. */
function renderRefusals() {
  if (!view) return;
  if (refusalsSeen < 0) refusalsSeen = view.refused.at(-1)?.seq ?? 0;
  const fresh = view.refused.filter((r) => r.seq > refusalsSeen);
  const bar = $('refused');
  bar.hidden = fresh.length === 0;
  bar.innerHTML = fresh.length
    ? `<button type="button" aria-label="${h(t.dismiss)}">×</button>${fresh.map((r) => h(t.refused(r.method, r.error, r.problems))).join('\n')}`
    : '';
  bar.querySelector('button')?.addEventListener('click', () => {
    refusalsSeen = fresh.at(-1)?.seq ?? refusalsSeen;
    renderRefusals();
  });
}

let loading = false;
let again = false;
/** Reads what this person sees now; calls that arrive meanwhile cause one more read. */
async function refresh() {
  if (loading) return void (again = true);
  loading = true;
  try {
    const first = !view;
    const ch = view ? (channelId() ?? '') : '';
    view = /** @type {View} */ (await (await fetch(`/_local/view?user=${encodeURIComponent(me)}&channel=${encodeURIComponent(ch)}`)).json());
    // The first read only learns the channels (what is there already counts as read); the second reads the open one.
    if (first) {
      for (const [id, n] of Object.entries(view.counts)) seen[id] = n;
      loading = false;
      return refresh();
    }
    renderSidebar();
    renderMain();
    renderRefusals();
    showModal(view.modal, ctx(), {
      submit: async (viewId, values) => void (await post('/_local/submit', { user: me, viewId, values })),
      close: async (viewId, values) => void (await post('/_local/close', { user: me, viewId, values })),
    });
    document.body.dataset.ready = '1';
  } finally {
    loading = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

/** @param {string} id */
function open(id) {
  current = id;
  shownMessages = '';
  const url = new URL(location.href);
  url.searchParams.set('channel', id === 'home' ? 'home' : (view?.channels.find((c) => c.id === id)?.name ?? id));
  history.replaceState(null, '', url);
  showError('');
  if (id === 'home') void post('/_local/home', { user: me });
  void refresh();
}

/** A click or pick on an interactive element, in a message or a view. @param {HTMLElement} el @param {Choice} choice */
async function act(el, choice) {
  const modal = el.closest('[data-view-id]');
  const msg = el.closest('[data-ts]');
  const path = el.dataset.path ?? '';
  if (el.dataset.confirm && !(await confirmDialog(JSON.parse(el.dataset.confirm), names))) return;
  if (el.dataset.url) window.open(el.dataset.url, '_blank', 'noopener');
  let source;
  if (modal) source = { viewId: modal.getAttribute('data-view-id') };
  else if (channelId() === 'home') source = { viewId: view?.home?.id };
  else if (msg) source = { channel: channelId(), ts: msg.getAttribute('data-ts') };
  const values = modal ? collect(modal) : channelId() === 'home' ? collect($('messages')) : {};
  const r = await post('/_local/action', { user: me, source, path, choice, values });
  if (!r.ok) showError(r.error ?? t.failed);
}

document.addEventListener('click', (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  const link = target.closest('[data-open]');
  if (link) {
    e.preventDefault();
    open(link.getAttribute('data-open') ?? '');
    return;
  }
  const button = /** @type {HTMLElement | null} */ (target.closest('button[data-dispatch]'));
  if (button) void act(button, null);
});
document.addEventListener('change', (e) => {
  const el = /** @type {HTMLElement} */ (e.target);
  if (el.matches('select[data-dispatch], input[data-dispatch]')) void act(el, /** @type {HTMLInputElement} */ (el).value || null);
});

applyLabels();
const userSelect = /** @type {HTMLSelectElement} */ ($('user'));
userSelect.innerHTML = dir.users.filter((u) => !u.deleted).map((u) => `<option value="${h(u.id)}">${h(u.real_name ?? u.name)} (@${h(u.name)})</option>`).join('');
userSelect.value = me;
userSelect.addEventListener('change', () => {
  me = userSelect.value;
  applyLabels();
  const url = new URL(location.href);
  url.searchParams.set('as', dir.users.find((u) => u.id === me)?.name ?? me);
  history.replaceState(null, '', url);
  for (const k of Object.keys(seen)) delete seen[k];
  shownMessages = '';
  showError('');
  void refresh();
});

setupComposer({
  commands: ['/invite', ...dir.commands],
  send: async (text) => {
    showError('');
    const r = await post('/_local/command', { user: me, channel: channelId(), text });
    if (!r.ok) showError(r.error ?? t.failed);
    return r.ok;
  },
});

const events = new EventSource('/_local/events');
events.addEventListener('change', () => void refresh());
// After a lost connection (docket restarted), catch up on what happened meanwhile.
events.addEventListener('open', () => void refresh());
await refresh();
