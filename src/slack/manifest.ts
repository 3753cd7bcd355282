import type { Surfaces } from '../features/feature.js';
import { en } from '../i18n/en.js';

/**
 * The Slack app manifest (https://docs.slack.dev/reference/app-manifest) made from what the
 * features declare: every slash command, the events they listen for, interactivity (buttons
 * and forms), App Home, and the union of the bot scopes they need. `npm run manifest` prints it.
 * With a public base URL, Slack sends requests to `<url>/slack/events`; in Socket Mode there is
 * no URL and no request is signed over HTTP.
 */
export type Manifest = Record<string, unknown>;

export interface ManifestOptions {
  /** Public base URL (https://docket.example.org); omitted for Socket Mode. */
  url?: string;
  name?: string;
  /** Installed into many workspaces through OAuth: Slack sends installers back to `<url>/slack/oauth_redirect`. */
  oauth?: boolean;
}

/** Scopes the platform needs whatever the features: posting, reading the reader's locale, opening DMs. */
const PLATFORM_SCOPES = ['chat:write', 'users:read', 'im:write'];

/**
 * Why docket asks for each bot scope: the Web API methods it calls and the events it receives
 * that the scope allows (Slack's scope reference, "compatible API methods" and "compatible
 * events"). A scope docket requests must be here, and a test checks that each one's methods or
 * events are really called or subscribed to, so no scope is asked for "just in case".
 */
export const SCOPE_USES: Readonly<Record<string, readonly string[]>> = {
  commands: ['slash commands'],
  'chat:write': ['chat.postMessage', 'chat.postEphemeral', 'chat.update'],
  'users:read': ['users.info'],
  'im:write': ['conversations.open'],
  // A group's channel is public (channels:*) or private (groups:*); its name, and members joining.
  'channels:read': ['conversations.info', 'member_joined_channel'],
  'groups:read': ['conversations.info', 'member_joined_channel'],
  // Crash recovery: before posting again, a delivery looks for the message an earlier attempt
  // may have posted, in the channel's (or the person's DM's) history.
  'channels:history': ['conversations.history'],
  'groups:history': ['conversations.history'],
  'im:history': ['conversations.history'],
  // Exports and the digest's chart are uploaded; an import reads the CSV someone shared.
  'files:write': ['files.getUploadURLExternal', 'files.completeUploadExternal'],
  'files:read': ['files.list', 'files.info'],
};

/**
 * Slack's bot token scopes (https://docs.slack.dev/reference/scopes, token type "Bot"). A name
 * not in this list is a typo or a user-token scope, and Slack refuses the manifest.
 */
export const KNOWN_BOT_SCOPES: ReadonlySet<string> = new Set([
  'app_mentions:read', 'assistant:write', 'bookmarks:read', 'bookmarks:write', 'calls:read', 'calls:write',
  'canvases:read', 'canvases:write', 'channels:history', 'channels:join', 'channels:manage', 'channels:read',
  'channels:write.invites', 'channels:write.topic', 'chat:write', 'chat:write.customize', 'chat:write.public',
  'commands', 'conversations.connect:manage', 'conversations.connect:read', 'conversations.connect:write',
  'dnd:read', 'emoji:read', 'files:read', 'files:write', 'groups:history', 'groups:read', 'groups:write',
  'groups:write.invites', 'groups:write.topic', 'im:history', 'im:read', 'im:write', 'im:write.topic',
  'incoming-webhook', 'links.embed:write', 'links:read', 'links:write', 'lists:read', 'lists:write',
  'metadata.message:read', 'mpim:history', 'mpim:read', 'mpim:write', 'mpim:write.topic', 'pins:read',
  'pins:write', 'reactions:read', 'reactions:write', 'reminders:read', 'reminders:write', 'remote_files:read',
  'remote_files:share', 'remote_files:write', 'team.billing:read', 'team.preferences:read', 'team:read',
  'triggers:read', 'triggers:write', 'usergroups:read', 'usergroups:write', 'users.profile:read', 'users:read',
  'users:read.email', 'users:write', 'workflow.steps:execute',
]);

/** The bot events docket may subscribe to, each with the scopes of which it needs one (Slack's event reference). */
export const EVENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  app_home_opened: [],
  member_joined_channel: ['channels:read', 'groups:read'],
  // Installed through OAuth: a workspace leaving docket.
  app_uninstalled: [],
  tokens_revoked: [],
};

/** The bot scopes docket asks for: the platform's and every feature's. The OAuth install asks for the same. */
export function botScopes(s: Pick<Surfaces, 'scopes'>): string[] {
  return [...new Set([...PLATFORM_SCOPES, ...s.scopes])].sort();
}

export function slackManifest(s: Surfaces, o: ManifestOptions = {}): Manifest {
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
    oauth_config: { ...(o.oauth && o.url ? { redirect_urls: [`${o.url.replace(/\/+$/, '')}/slack/oauth_redirect`] } : {}), scopes: { bot: botScopes(s) } },
    settings: {
      event_subscriptions: { ...(events ? { request_url: events } : {}), bot_events: [...s.events.keys()].sort() },
      interactivity: { is_enabled: true, ...(events ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !events,
      token_rotation_enabled: false,
    },
  };
}
