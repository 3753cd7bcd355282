import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/features/feature.js';
import { features } from '../../src/features/index.js';
import { manifestCommand } from '../../src/manifest-cli.js';
import { checkManifest } from '../../src/slack/manifest-check.js';
import { KNOWN_BOT_SCOPES, SCOPE_USES, slackManifest } from '../../src/slack/manifest.js';

const root = new URL('../..', import.meta.url).pathname;

/** Every .ts file under the given folders of the repository. */
function sources(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

/** Limits Slack's app manifest schema sets (manifest.schema.1.0.0): breaking one makes Slack refuse the manifest. */
const LIMITS = { name: 35, description: 140, commandDescription: 2000, usageHint: 1000 };

describe('the Slack app manifest made from the features', () => {
  const s = compose(features);
  const m = slackManifest(s, { url: 'https://docket.example.org/' }) as Record<string, any>;

  it('lists every command the features register, each pointing at the events URL, within Slack’s limits', () => {
    const commands = m.features.slash_commands as Record<string, any>[];
    expect(commands.map((c) => c.command).sort()).toEqual([...s.commands.keys()].sort());
    expect(commands.map((c) => c.command).sort()).toEqual(['/action', '/case', '/digest', '/docket', '/meeting']);
    for (const c of commands) {
      expect(c.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
      expect(c.url).toBe('https://docket.example.org/slack/events');
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(LIMITS.commandDescription);
      expect(c.usage_hint.length).toBeLessThanOrEqual(LIMITS.usageHint);
    }
    expect(m.display_information.name.length).toBeLessThanOrEqual(LIMITS.name);
    expect(m.display_information.description.length).toBeLessThanOrEqual(LIMITS.description);
  });

  it('subscribes to the events the features handle, turns interactivity on, and asks for the scopes they use', () => {
    expect(m.settings.event_subscriptions).toEqual({ request_url: 'https://docket.example.org/slack/events', bot_events: ['app_home_opened', 'member_joined_channel'] });
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://docket.example.org/slack/events' });
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    // Slash commands typed in the DM with docket need a Messages tab that is not read-only.
    expect(m.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    // The history scopes are what crash recovery reads to avoid posting twice.
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'users:read', 'channels:read', 'groups:read', 'im:history', 'channels:history', 'groups:history']));
    expect(new Set(m.oauth_config.scopes.bot).size).toBe(m.oauth_config.scopes.bot.length);
  });

  it('for Socket Mode, has no URL anywhere and says so', () => {
    const socket = slackManifest(s) as Record<string, any>;
    expect(JSON.stringify(socket)).not.toContain('http');
    expect(socket.settings.socket_mode_enabled).toBe(true);
  });
});

describe('checking the manifest against Slack’s rules, offline', () => {
  const s = compose(features);
  const http = () => slackManifest(s, { url: 'https://docket.example.org' }) as Record<string, any>;

  it('finds nothing wrong with the manifest docket generates, over HTTP or in Socket Mode', () => {
    expect(checkManifest(http())).toEqual([]);
    expect(checkManifest(slackManifest(s))).toEqual([]);
  });

  /** Each case breaks one rule of a valid manifest and names the field the problem must point at. */
  const broken: [string, (m: Record<string, any>) => void, string][] = [
    ['a name longer than 35 characters', (m) => (m.display_information.name = 'x'.repeat(36)), 'display_information.name: must be 1 to 35'],
    ['no display information', (m) => delete m.display_information, 'display_information: is required'],
    ['an empty description', (m) => (m.display_information.description = ''), 'display_information.description: must be 1 to 140'],
    ['a description of 141 characters', (m) => (m.display_information.description = 'd'.repeat(141)), 'display_information.description: must be 1 to 140'],
    ['a long description under 175 characters', (m) => (m.display_information.long_description = 'short'), 'display_information.long_description: must be 175 to 4000'],
    ['a colour that is not hex', (m) => (m.display_information.background_color = 'navy'), 'display_information.background_color'],
    ['a field Slack does not know', (m) => (m.display_information.tagline = 'x'), 'display_information: unknown field tagline'],
    ['no bot user', (m) => delete m.features.bot_user, 'features.bot_user: is required'],
    ['a bot display name of 81 characters', (m) => (m.features.bot_user.display_name = 'b'.repeat(81)), 'features.bot_user.display_name: must be 1 to 80'],
    ['a command with a capital letter', (m) => (m.features.slash_commands[0].command = '/Case'), 'features.slash_commands[0].command: must be /'],
    ['a command without its slash', (m) => (m.features.slash_commands[0].command = 'case'), 'features.slash_commands[0].command: must be /'],
    ['a command of 33 characters', (m) => (m.features.slash_commands[0].command = `/${'c'.repeat(32)}`), 'features.slash_commands[0].command'],
    ['a command listed twice', (m) => m.features.slash_commands.push({ ...m.features.slash_commands[0], command: '/case' }), 'features.slash_commands[5].command: /case is listed twice'],
    ['a command description over 2000 characters', (m) => (m.features.slash_commands[2].description = 'd'.repeat(2001)), 'features.slash_commands[2].description: must be 1 to 2000'],
    ['a command with no description', (m) => delete m.features.slash_commands[2].description, 'features.slash_commands[2].description: is required'],
    ['a usage hint over 1000 characters', (m) => (m.features.slash_commands[3].usage_hint = 'u'.repeat(1001)), 'features.slash_commands[3].usage_hint: must be 1 to 1000'],
    ['a command URL over plain http', (m) => (m.features.slash_commands[0].url = 'http://docket.example.org/slack/events'), 'features.slash_commands[0].url: http://docket.example.org/slack/events must use https://'],
    ['a command without a URL over HTTP', (m) => delete m.features.slash_commands[4].url, 'features.slash_commands[4].url: is required unless socket_mode_enabled'],
    ['a request URL Slack cannot reach', (m) => (m.settings.event_subscriptions.request_url = 'https://localhost:3000/slack/events'), 'settings.event_subscriptions.request_url: https://localhost:3000/slack/events is not reachable from Slack'],
    ['a private address', (m) => (m.settings.interactivity.request_url = 'https://192.168.1.10/slack/events'), 'settings.interactivity.request_url: https://192.168.1.10/slack/events is not reachable'],
    ['something that is not a URL', (m) => (m.settings.interactivity.request_url = 'docket.example.org'), 'settings.interactivity.request_url: docket.example.org is not a URL'],
    ['events without a request URL', (m) => delete m.settings.event_subscriptions.request_url, 'settings.event_subscriptions.request_url: is required'],
    ['interactivity without is_enabled', (m) => delete m.settings.interactivity.is_enabled, 'settings.interactivity.is_enabled: is required'],
    ['a URL left in while Socket Mode is on', (m) => (m.settings.socket_mode_enabled = true), 'features.slash_commands[0].url: must be left out in Socket Mode'],
    ['a scope Slack does not have', (m) => m.oauth_config.scopes.bot.push('chat:writes'), 'oauth_config.scopes.bot: "chat:writes" is not a Slack bot token scope'],
    ['a user-token scope among the bot scopes', (m) => m.oauth_config.scopes.bot.push('search:read'), 'oauth_config.scopes.bot: "search:read" is not a Slack bot token scope'],
    ['a scope listed twice', (m) => m.oauth_config.scopes.bot.push('chat:write'), 'oauth_config.scopes.bot: chat:write is listed twice'],
    ['slash commands without the commands scope', (m) => (m.oauth_config.scopes.bot = m.oauth_config.scopes.bot.filter((x: string) => x !== 'commands')), 'oauth_config.scopes.bot: slash commands need the commands scope'],
    ['an event whose scope is missing', (m) => (m.oauth_config.scopes.bot = m.oauth_config.scopes.bot.filter((x: string) => x !== 'channels:read' && x !== 'groups:read')), 'member_joined_channel needs one of the scopes channels:read, groups:read'],
    ['an event docket does not handle', (m) => m.settings.event_subscriptions.bot_events.push('message.channels'), '"message.channels" is not an event docket handles'],
    ['an event listed twice', (m) => m.settings.event_subscriptions.bot_events.push('app_home_opened'), 'settings.event_subscriptions.bot_events: lists an event twice'],
    ['a setting that is not a boolean', (m) => (m.settings.org_deploy_enabled = 'no'), 'settings.org_deploy_enabled: must be true or false'],
    ['a schema version Slack does not have', (m) => (m._metadata.major_version = 3), '_metadata.major_version: must be 1 or 2'],
  ];
  it.each(broken)('catches %s', (_what, breakIt, problem) => {
    const m = http();
    breakIt(m);
    const problems = checkManifest(m);
    expect(problems.some((p) => p.startsWith(problem) || p.includes(problem)), problems.join('\n')).toBe(true);
  });

  it('asks only for scopes that a Slack method docket calls, or an event it receives, needs; and has one for each', () => {
    const code = sources(['src', 'commands', 'jobs']).filter((f) => !f.includes('/fake/') && !f.includes('/local/'));
    const called = new Set<string>();
    for (const f of code) for (const [, ns, method] of readFileSync(f, 'utf8').matchAll(/client\.([a-z]+)\.([a-zA-Z]+)\(/g)) called.add(`${ns}.${method}`);
    expect(called.size).toBeGreaterThan(5);
    const m = http();
    const used = new Set<string>([...called, ...m.settings.event_subscriptions.bot_events, 'slash commands']);
    for (const scope of m.oauth_config.scopes.bot as string[]) {
      expect(SCOPE_USES[scope], `${scope} has no recorded use`).toBeDefined();
      expect(SCOPE_USES[scope]!.some((u) => used.has(u)), `${scope} is asked for, but nothing docket calls needs it`).toBe(true);
      expect(KNOWN_BOT_SCOPES.has(scope)).toBe(true);
    }
    // Every method docket calls that needs a scope has one requested (views.*, auth.test and api.test need none).
    const needing = [...called].filter((c) => !c.startsWith('views.') && c !== 'auth.test' && c !== 'api.test');
    for (const c of needing) expect(Object.entries(SCOPE_USES).some(([scope, uses]) => uses.includes(c) && m.oauth_config.scopes.bot.includes(scope)), `${c} needs a scope`).toBe(true);
  });
});

describe('npm run manifest', () => {
  // The real entry point once (it takes seconds under tsx); the cases in-process.
  it('prints a manifest Slack accepts for the public URL given, from the command line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/manifest.ts', '--url', 'https://docket.example.org/'], { cwd: root, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, any>;
    expect(m.settings.event_subscriptions.request_url).toBe('https://docket.example.org/slack/events');
    expect(checkManifest(m)).toEqual([]);
  });

  it('takes PUBLIC_URL when no --url is given, and prints the Socket Mode manifest with --socket', () => {
    const fromEnv = manifestCommand([], { PUBLIC_URL: 'https://ops.example.org' });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(JSON.parse(fromEnv.stdout).settings.interactivity.request_url).toBe('https://ops.example.org/slack/events');
    const socket = manifestCommand(['--socket'], {});
    expect(socket.code, socket.stderr).toBe(0);
    expect(JSON.parse(socket.stdout).settings.socket_mode_enabled).toBe(true);
  });

  it('with --oauth (or SLACK_CLIENT_ID set), sends installers back to /slack/oauth_redirect and hears when a workspace uninstalls docket', () => {
    const r = manifestCommand(['--url', 'https://docket.example.org/', '--oauth'], {});
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, any>;
    expect(m.oauth_config.redirect_urls).toEqual(['https://docket.example.org/slack/oauth_redirect']);
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'app_uninstalled', 'member_joined_channel', 'tokens_revoked']);
    // The same scopes as without: neither event needs one; an org-wide install is not offered.
    const plain = slackManifest(compose(features), { url: 'https://docket.example.org' }) as Record<string, any>;
    expect(m.oauth_config.scopes.bot).toEqual(plain.oauth_config.scopes.bot);
    expect(m.settings.org_deploy_enabled).toBe(false);
    expect(checkManifest(m)).toEqual([]);
    const key = Buffer.alloc(32, 1).toString('base64');
    const fromEnv = manifestCommand([], { PUBLIC_URL: 'https://ops.example.org', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 'a-state-secret-long-enough', SLACK_SIGNING_SECRET: 's', TOKEN_ENCRYPTION_KEYS: `k:${key}` });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(JSON.parse(fromEnv.stdout).oauth_config.redirect_urls).toEqual(['https://ops.example.org/slack/oauth_redirect']);
    // Without OAuth, neither the redirect URL nor the uninstall events.
    const single = JSON.parse(manifestCommand(['--url', 'https://docket.example.org'], {}).stdout) as Record<string, any>;
    expect(single.oauth_config.redirect_urls).toBeUndefined();
    expect(single.settings.event_subscriptions.bot_events).not.toContain('app_uninstalled');
    expect(manifestCommand(['--socket', '--oauth'], {}).code).toBe(2);
    // A redirect URL Slack would refuse is caught like any request URL.
    m.oauth_config.redirect_urls = ['http://docket.example.org/slack/oauth_redirect'];
    expect(checkManifest(m)).toEqual(['oauth_config.redirect_urls[0]: http://docket.example.org/slack/oauth_redirect must use https:// (Slack sends requests over TLS only)']);
  });

  it('refuses a manifest Slack would refuse: the problems on stderr, nothing on stdout, exit code 1', () => {
    const r = manifestCommand(['--url', 'http://docket.example.org'], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('settings.event_subscriptions.request_url: http://docket.example.org/slack/events must use https://');
    const long = manifestCommand(['--socket', '--name', 'docket for the provincial coordination office'], {});
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('display_information.name: must be 1 to 35 characters');
  });

  it('without a URL or --socket, or with both, says how to call it', () => {
    for (const args of [[], ['--socket', '--url', 'https://docket.example.org'], ['--port', '3']]) {
      const r = manifestCommand(args, {});
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('usage: npm run manifest -- --url https://');
    }
  });
});
