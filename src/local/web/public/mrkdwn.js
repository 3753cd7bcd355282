// @ts-check
/**
 * Slack's mrkdwn as HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, links,
 * user, channel and special mentions, dates, and the emoji docket uses. Everything that is
 * not markup is escaped; the output is safe for innerHTML.
 *
 * @typedef {{ userName(id: string): string | undefined, channelName(id: string): string | undefined }} Names
 */

/** @param {string} s */
export function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack escapes exactly these three; text between control sequences is decoded once. @param {string} s */
function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack's shortcodes as characters: every one docket's wording and blocks use (a unit test
 * scans them, so a new one cannot be forgotten), and some common ones. Others stay as text.
 * @type {Record<string, string>}
 */
export const EMOJI = {
  pushpin: '📌', file_folder: '📁', white_check_mark: '✅', mega: '📣', warning: '⚠️', x: '❌',
  heavy_check_mark: '✔️', heavy_multiplication_x: '✖️', calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️', alarm_clock: '⏰',
  bell: '🔔', hourglass: '⌛', hourglass_flowing_sand: '⏳', memo: '📝', moneybag: '💰',
  money_with_wings: '💸', lock: '🔒', eyes: '👀', tada: '🎉', rotating_light: '🚨', red_circle: '🔴',
  large_green_circle: '🟢', large_yellow_circle: '🟡', white_circle: '⚪', point_right: '👉',
  busts_in_silhouette: '👥', bust_in_silhouette: '👤', clipboard: '📋', scales: '⚖️', link: '🔗',
  pencil2: '✏️', speech_balloon: '💬', information_source: 'ℹ️', repeat: '🔁', arrow_right: '➡️',
  no_entry: '⛔', ballot_box_with_check: '☑️', inbox_tray: '📥', outbox_tray: '📤', bar_chart: '📊', new: '🆕',
  chart_with_upwards_trend: '📈', handshake: '🤝', mag: '🔍', thumbsup: '👍', '+1': '👍', wave: '👋', zzz: '💤',
};

/** Unknown shortcodes stay as typed; `:constructor:` is not one of ours either. @param {string} html text already escaped */
export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (all, name) => (Object.hasOwn(EMOJI, name) ? EMOJI[name] : all));
}

// A marker opens after a boundary and closes before one: whitespace, punctuation (CJK included), or the ends.
const B = '[\\s\\p{P}\\p{S}]';
/** @param {string} mark @param {string} tag */
function span(mark, tag) {
  const m = mark === '*' ? '\\*' : mark;
  return [new RegExp(`(^|${B})${m}(?=\\S)([^${m}\\n]*?\\S|\\S)${m}(?=$|${B})`, 'gu'), `$1<${tag}>$2</${tag}>`];
}
const SPANS = /** @type {[RegExp, string][]} */ ([span('*', 'b'), span('_', 'i'), span('~', 's')]);

/** @param {string} text plain text between control sequences and code */
function styled(text) {
  let html = escapeHtml(decode(text));
  for (const [re, to] of SPANS) html = html.replace(re, to);
  return emojify(html);
}

const SAFE_URL = /^(https?:|mailto:|tel:|slack:)/i;

/** @param {string} inner the part between < and > @param {Names} names */
function control(inner, names) {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(names.userName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention channel" data-channel="${escapeHtml(id)}">#${escapeHtml(names.channelName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!')) {
    const [kind] = target.slice(1).split('^');
    if (kind === 'date') return escapeHtml(decode(label ?? ''));
    if (kind === 'subteam') return `<span class="mention">${escapeHtml(decode(label ?? '@group'))}</span>`;
    return `<span class="mention special">@${escapeHtml(kind ?? '')}</span>`;
  }
  const url = decode(target);
  if (!SAFE_URL.test(url)) return escapeHtml(decode(label ?? target));
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(decode(label ?? target))}</a>`;
}

/** One line's inline markup: control sequences, `code`, then styles in what is left. @param {string} line @param {Names} names */
function inline(line, names) {
  let out = '';
  const re = /<([^<>\n]+)>|`([^`\n]+)`/g;
  let last = 0;
  for (const m of line.matchAll(re)) {
    out += styled(line.slice(last, m.index));
    out += m[1] !== undefined ? control(m[1], names) : `<code>${escapeHtml(decode(m[2] ?? ''))}</code>`;
    last = (m.index ?? 0) + m[0].length;
  }
  return out + styled(line.slice(last));
}

/** @param {string} text @param {Names} names */
function paragraphs(text, names) {
  const lines = text.split('\n');
  /** @type {string[]} */
  const out = [];
  let quote = /** @type {string[]} */ ([]);
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const q = /^(?:&gt;|>)\s?(.*)$/.exec(line);
    if (q) {
      quote.push(inline(q[1] ?? '', names));
      continue;
    }
    flush();
    out.push(inline(line, names));
  }
  flush();
  return out.join('<br>').replace(/<br>(<blockquote>)/g, '$1').replace(/(<\/blockquote>)<br>/g, '$1');
}

/** @param {string} text mrkdwn as Slack receives it @param {Names} names */
export function mrkdwnToHtml(text, names) {
  return text
    .split(/```/)
    .map((part, i) => (i % 2 ? `<pre>${escapeHtml(decode(part.replace(/^\n/, '')))}</pre>` : paragraphs(part, names)))
    .join('');
}

/** plain_text: no markup, but `emoji: true` turns :codes: into emoji. @param {{ text?: string, emoji?: boolean } | undefined} t */
export function plainToHtml(t) {
  if (!t || typeof t.text !== 'string') return '';
  const html = escapeHtml(t.text);
  return t.emoji === false ? html : emojify(html);
}

/** A text object of either kind. @param {any} t @param {Names} names */
export function textToHtml(t, names) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(String(t.text ?? ''), names) : plainToHtml(t);
}
