import { EVENT_SCOPES, KNOWN_BOT_SCOPES, type Manifest } from './manifest.js';

/**
 * The rules of Slack's app manifest that can be checked without Slack: the field limits of
 * its published schema (github.com/slackapi/manifest-schema, manifest.schema.1.0.0.json:
 * lengths, required fields, unknown fields refused), plus what Slack checks when the manifest
 * is imported — request URLs over HTTPS that Slack can reach, none in Socket Mode, scopes it
 * knows, the `commands` scope for slash commands. Answers the problems, one line each; none
 * means Slack should accept it.
 */
export function checkManifest(m: Manifest): string[] {
  const problems: string[] = [];
  const bad = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const socket = m.settings !== undefined && obj(m.settings).socket_mode_enabled === true;

  allowOnly(m, 'manifest', ['$schema', '_metadata', 'display_information', 'features', 'oauth_config', 'settings'], bad);
  if (m._metadata !== undefined) {
    const major = obj(m._metadata).major_version;
    if (major !== undefined && major !== 1 && major !== 2) bad('_metadata.major_version', 'must be 1 or 2');
  }

  // display_information (required)
  if (!isObj(m.display_information)) bad('display_information', 'is required');
  else {
    const d = m.display_information;
    allowOnly(d, 'display_information', ['name', 'description', 'background_color', 'long_description'], bad);
    text(d.name, 'display_information.name', { min: 1, max: 35, required: true }, bad);
    text(d.description, 'display_information.description', { min: 1, max: 140 }, bad);
    text(d.long_description, 'display_information.long_description', { min: 175, max: 4000 }, bad);
    if (d.background_color !== undefined && !(typeof d.background_color === 'string' && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(d.background_color))) {
      bad('display_information.background_color', 'must be a hex colour such as #1d3557');
    }
  }

  const f = m.features === undefined ? {} : obj(m.features);
  allowOnly(f, 'features', ['app_home', 'bot_user', 'slash_commands', 'shortcuts', 'unfurl_domains', 'workflow_steps', 'assistant_view'], bad);
  if (f.app_home !== undefined) {
    const home = obj(f.app_home);
    allowOnly(home, 'features.app_home', ['home_tab_enabled', 'messages_tab_enabled', 'messages_tab_read_only_enabled'], bad);
    for (const [k, v] of Object.entries(home)) if (typeof v !== 'boolean') bad(`features.app_home.${k}`, 'must be true or false');
  }
  if (f.bot_user !== undefined) {
    const b = obj(f.bot_user);
    allowOnly(b, 'features.bot_user', ['display_name', 'always_online'], bad);
    text(b.display_name, 'features.bot_user.display_name', { min: 1, max: 80, required: true }, bad);
  }

  const commands = f.slash_commands === undefined ? [] : Array.isArray(f.slash_commands) ? f.slash_commands : (bad('features.slash_commands', 'must be a list'), []);
  if (f.slash_commands !== undefined && (commands.length < 1 || commands.length > 50)) bad('features.slash_commands', 'must list 1 to 50 commands');
  const seen = new Set<string>();
  commands.forEach((raw, i) => {
    const c = obj(raw);
    const at = `features.slash_commands[${i}]`;
    allowOnly(c, at, ['command', 'description', 'usage_hint', 'url', 'should_escape'], bad);
    if (typeof c.command !== 'string' || !/^\/[a-z0-9_-]{1,31}$/.test(c.command)) {
      bad(`${at}.command`, 'must be / and 1 to 31 lowercase letters, digits, - or _');
    } else if (seen.has(c.command)) bad(`${at}.command`, `${c.command} is listed twice`);
    else seen.add(c.command);
    text(c.description, `${at}.description`, { min: 1, max: 2000, required: true }, bad);
    text(c.usage_hint, `${at}.usage_hint`, { min: 1, max: 1000 }, bad);
    if (c.should_escape !== undefined && typeof c.should_escape !== 'boolean') bad(`${at}.should_escape`, 'must be true or false');
    requestUrl(c.url, `${at}.url`, { socket, max: 3000 }, bad);
  });
  // docket's own rule: it posts, and answers slash commands, as its bot user (SLACK_BOT_TOKEN).
  if (f.bot_user === undefined) bad('features.bot_user', 'is required: docket posts as its bot user');

  // oauth_config
  const scopes = m.oauth_config === undefined ? {} : obj(obj(m.oauth_config).scopes);
  if (m.oauth_config !== undefined) allowOnly(obj(m.oauth_config), 'oauth_config', ['scopes', 'redirect_urls', 'token_management_enabled', 'pkce_enabled'], bad);
  allowOnly(scopes, 'oauth_config.scopes', ['bot', 'user', 'bot_optional', 'user_optional'], bad);
  const bot = scopes.bot === undefined ? [] : Array.isArray(scopes.bot) ? (scopes.bot as unknown[]) : (bad('oauth_config.scopes.bot', 'must be a list'), []);
  if (bot.length > 255) bad('oauth_config.scopes.bot', 'lists more than 255 scopes');
  const botScopes = new Set<string>();
  for (const s of bot) {
    if (typeof s !== 'string' || !KNOWN_BOT_SCOPES.has(s)) bad('oauth_config.scopes.bot', `${JSON.stringify(s)} is not a Slack bot token scope`);
    else if (botScopes.has(s)) bad('oauth_config.scopes.bot', `${s} is listed twice`);
    else botScopes.add(s);
  }
  if (commands.length > 0 && !botScopes.has('commands')) bad('oauth_config.scopes.bot', 'slash commands need the commands scope');
  // Where Slack sends installers back: HTTPS URLs Slack's users' browsers reach (schema: up to 1000).
  const redirects = m.oauth_config === undefined ? undefined : obj(m.oauth_config).redirect_urls;
  if (redirects !== undefined) {
    if (!Array.isArray(redirects) || redirects.length < 1 || redirects.length > 1000) bad('oauth_config.redirect_urls', 'must list 1 to 1000 URLs');
    else redirects.forEach((u, i) => requestUrl(u, `oauth_config.redirect_urls[${i}]`, { socket: false, max: 3000 }, bad));
  }

  // settings
  const st = m.settings === undefined ? {} : obj(m.settings);
  allowOnly(st, 'settings', ['allowed_ip_address_ranges', 'event_subscriptions', 'incoming_webhooks', 'interactivity', 'org_deploy_enabled', 'socket_mode_enabled', 'token_rotation_enabled', 'is_hosted', 'function_runtime'], bad);
  for (const k of ['org_deploy_enabled', 'socket_mode_enabled', 'token_rotation_enabled']) {
    if (st[k] !== undefined && typeof st[k] !== 'boolean') bad(`settings.${k}`, 'must be true or false');
  }
  if (st.event_subscriptions !== undefined) {
    const ev = obj(st.event_subscriptions);
    allowOnly(ev, 'settings.event_subscriptions', ['request_url', 'bot_events', 'user_events', 'metadata_subscriptions'], bad);
    const events = Array.isArray(ev.bot_events) ? (ev.bot_events as unknown[]) : [];
    if (ev.bot_events !== undefined && !Array.isArray(ev.bot_events)) bad('settings.event_subscriptions.bot_events', 'must be a list');
    if (events.length > 100) bad('settings.event_subscriptions.bot_events', 'lists more than 100 events');
    if (new Set(events).size !== events.length) bad('settings.event_subscriptions.bot_events', 'lists an event twice');
    for (const e of events) {
      const needs = typeof e === 'string' ? EVENT_SCOPES[e] : undefined;
      if (!needs) bad('settings.event_subscriptions.bot_events', `${JSON.stringify(e)} is not an event docket handles`);
      else if (needs.length > 0 && !needs.some((s) => botScopes.has(s))) bad('settings.event_subscriptions.bot_events', `${String(e)} needs one of the scopes ${needs.join(', ')}`);
    }
    // Over HTTP, Slack has nowhere to send events without a request URL.
    if (events.length > 0 || ev.request_url !== undefined) requestUrl(ev.request_url, 'settings.event_subscriptions.request_url', { socket, max: 3500 }, bad);
  }
  if (st.interactivity !== undefined) {
    const it = obj(st.interactivity);
    allowOnly(it, 'settings.interactivity', ['is_enabled', 'request_url', 'message_menu_options_url'], bad);
    if (typeof it.is_enabled !== 'boolean') bad('settings.interactivity.is_enabled', 'is required (true or false)');
    if (it.is_enabled === true || it.request_url !== undefined) requestUrl(it.request_url, 'settings.interactivity.request_url', { socket, max: 3500 }, bad);
  }
  return problems;
}

type Bad = (where: string, what: string) => void;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

function allowOnly(o: Obj, where: string, allowed: readonly string[], bad: Bad): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(where, `unknown field ${k}`);
}

function text(v: unknown, where: string, o: { min: number; max: number; required?: boolean }, bad: Bad): void {
  if (v === undefined) {
    if (o.required) bad(where, 'is required');
    return;
  }
  if (typeof v !== 'string') return bad(where, 'must be text');
  // Slack counts characters, not UTF-16 units: an emoji is one.
  const n = [...v].length;
  if (n < o.min || n > o.max) bad(where, `must be ${o.min} to ${o.max} characters (is ${n})`);
}

/**
 * Over HTTP every request URL is required and must be HTTPS at a name Slack can reach; in
 * Socket Mode Slack sends everything over the socket, and a URL left in the manifest is a sign
 * that the two modes were mixed up.
 */
function requestUrl(v: unknown, where: string, o: { socket: boolean; max: number }, bad: Bad): void {
  if (o.socket) {
    if (v !== undefined) bad(where, 'must be left out in Socket Mode (socket_mode_enabled is true)');
    return;
  }
  if (v === undefined) return bad(where, 'is required unless socket_mode_enabled is true');
  if (typeof v !== 'string' || v.length > o.max) return bad(where, `must be a URL of at most ${o.max} characters`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return bad(where, `${v} is not a URL`);
  }
  if (url.protocol !== 'https:') return bad(where, `${v} must use https:// (Slack sends requests over TLS only)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.0\.0\.0$)/.test(host) || host === '::1') {
    bad(where, `${v} is not reachable from Slack; use docket's public address, or Socket Mode (--socket)`);
  }
  if (url.search || url.hash) bad(where, `${v} must not carry a query or fragment`);
}
