import { describe, expect, it } from 'vitest';
import { compose } from '../../src/features/feature.js';
import { features } from '../../src/features/index.js';
import { slackManifest } from '../../src/slack/manifest.js';

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
