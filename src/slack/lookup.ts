import { LATE, within } from '../lib/deadline.js';
import type { WebClient } from './kit.js';
import { downloadFile, latestCsvOf, type SharedFile } from './files.js';

export interface UserInfo {
  id: string;
  locale: string | undefined;
  tz: string | undefined;
  deleted: boolean;
  isBot: boolean;
}

/**
 * users.info (and conversations.info) with a small in-memory cache: locale and time zone are
 * read on nearly every request, and change rarely. Unknown users resolve to undefined.
 */
export class SlackLookup {
  private readonly cache = new Map<string, { at: number; info: UserInfo | undefined }>();

  constructor(
    private readonly client: WebClient,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  async user(userId: string): Promise<UserInfo | undefined> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.info;
    let info: UserInfo | undefined;
    try {
      const res = await this.client.users.info({ user: userId, include_locale: true });
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
      const res = await this.client.conversations.info({ channel: channelId });
      return res.channel?.name;
    } catch {
      return undefined;
    }
  }

  /** The newest CSV file `user` shared in `channel`, if any (files:read). */
  latestCsv(channel: string, user: string): Promise<SharedFile | undefined> {
    return latestCsvOf(this.client, channel, user);
  }

  /** A file shared in Slack, with its bytes (at most `maxBytes`, else FileError too_large). */
  download(fileId: string, maxBytes: number, check?: (f: SharedFile) => void): Promise<{ file: SharedFile; bytes: Buffer }> {
    return downloadFile(this.client, fileId, maxBytes, check);
  }
}
