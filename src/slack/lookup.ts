import { LATE, within } from '../lib/deadline.js';
import type { WebClient } from './kit.js';
import { downloadFile, latestCsvOf, type SharedFile } from './files.js';
import type { SlackClients } from './clients.js';

export interface UserInfo {
  id: string;
  locale: string | undefined;
  tz: string | undefined;
  deleted: boolean;
  isBot: boolean;
}

/**
 * One workspace's users.info (and conversations.info) with a small in-memory cache: locale and
 * time zone are read on nearly every request, and change rarely. Unknown users resolve to
 * undefined, and so does everyone of a workspace docket is not installed in.
 */
export class SlackLookup {
  private readonly cache = new Map<string, { at: number; info: UserInfo | undefined }>();

  constructor(
    /** The workspace's client, asked for at each call (its token may change with a re-install). */
    private readonly clientOf: () => Promise<WebClient>,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  async user(userId: string): Promise<UserInfo | undefined> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.info;
    let info: UserInfo | undefined;
    try {
      const client = await this.clientOf();
      const res = await client.users.info({ user: userId, include_locale: true });
      const u = res.user;
      info = u && { id: userId, locale: u.locale, tz: u.tz, deleted: !!u.deleted, isBot: !!u.is_bot };
    } catch (err) {
      // Only a definite "no such user" is remembered; a passing failure is retried next time.
      if ((err as { data?: { error?: string } }).data?.error !== 'user_not_found') return undefined;
      info = undefined;
    }
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(userId, { at: Date.now(), info });
    return info;
  }

  /**
   * The user, if Slack answers within `ms`; undefined otherwise (the lookup goes on and fills
   * the cache for next time). For work that must finish before a 3-second ack.
   */
  async userWithin(userId: string, ms: number): Promise<UserInfo | undefined> {
    const info = await within(this.user(userId), ms);
    return info === LATE ? undefined : info;
  }

  /** The channel's name, for defaults such as a new group's name; undefined if Slack will not say. */
  async channelName(channelId: string): Promise<string | undefined> {
    try {
      const client = await this.clientOf();
      const res = await client.conversations.info({ channel: channelId });
      return res.channel?.name;
    } catch {
      return undefined;
    }
  }

  /** The newest CSV file `user` shared in `channel`, if any (files:read). */
  async latestCsv(channel: string, user: string): Promise<SharedFile | undefined> {
    return latestCsvOf(await this.clientOf(), channel, user);
  }

  /** A file shared in Slack, with its bytes (at most `maxBytes`, else FileError too_large). */
  async download(fileId: string, maxBytes: number, check?: (f: SharedFile) => void): Promise<{ file: SharedFile; bytes: Buffer }> {
    return downloadFile(await this.clientOf(), fileId, maxBytes, check);
  }
}

/** Workspaces kept at once; beyond it the least recently made lookup is dropped (its cache with it). */
const MAX_WORKSPACES = 1000;

/**
 * A lookup per workspace: a user's details are read with their own workspace's token and
 * cached apart from every other workspace's.
 */
export class SlackLookups {
  private readonly byTeam = new Map<string, SlackLookup>();

  constructor(
    private readonly clients: SlackClients,
    private readonly ttlMs?: number,
  ) {}

  forTeam(teamId: string): SlackLookup {
    let lookup = this.byTeam.get(teamId);
    if (!lookup) {
      if (this.byTeam.size >= MAX_WORKSPACES) this.byTeam.delete(this.byTeam.keys().next().value!);
      lookup = new SlackLookup(() => this.clients.forTeam(teamId), this.ttlMs);
      this.byTeam.set(teamId, lookup);
    }
    return lookup;
  }

  /** The workspace was uninstalled or installed again: its client and cached users go. */
  forget(teamId: string): void {
    this.byTeam.delete(teamId);
    this.clients.forget(teamId);
  }
}
