import type { Surfaces } from '../features/feature.js';
import { en } from '../i18n/en.js';

/**
 * The Slack app manifest (https://docs.slack.dev/reference/app-manifest) made from what the
 * features declare: every slash command, the events they listen for, interactivity (buttons
 * and forms), App Home, and the union of the bot scopes they need. `npm run manifest` prints it.
 * With a public base URL, Slack sends requests to `<url>/slack/events`; in Socket Mode there is
 * no URL and no request is signed over HTTP.
 */
export interface ManifestOptions {
  /** Public base URL (https://docket.example.org); omitted for Socket Mode. */
  url?: string;
  name?: string;
}

/** Scopes the platform needs whatever the features: posting, reading the reader's locale, opening DMs. */
const PLATFORM_SCOPES = ['chat:write', 'users:read', 'im:write'];

export function slackManifest(s: Surfaces, o: ManifestOptions = {}): Record<string, unknown> {
  const events = o.url ? `${o.url.replace(/\/+$/, '')}/slack/events` : undefined;
  const name = o.name ?? 'docket';
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Run a coordination group’s cases, action items and reminders from Slack.',
      background_color: '#1d3557',
    },
    features: {
      // Not read-only: a read-only Messages tab has no composer, so no slash command could be
      // typed in the DM with docket, where people list their own work across their groups.
      app_home: { home_tab_enabled: s.events.has('app_home_opened'), messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: [...s.commands.values()].map((c) => ({
        command: c.name,
        description: c.description(en),
        usage_hint: c.usageHint,
        // Mentions and channels arrive as ids (<@U…|name>), which docket reads.
        should_escape: true,
        ...(events ? { url: events } : {}),
      })),
    },
    oauth_config: { scopes: { bot: [...new Set([...PLATFORM_SCOPES, ...s.scopes])].sort() } },
    settings: {
      event_subscriptions: { ...(events ? { request_url: events } : {}), bot_events: [...s.events.keys()].sort() },
      interactivity: { is_enabled: true, ...(events ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !events,
      token_rotation_enabled: false,
    },
  };
}
