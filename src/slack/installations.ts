import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db, Trx } from '../db/database.js';
import { findInstallation, resealToken, saveInstallation, sealedWithOtherKeys } from '../db/installations.repo.js';
import type { InstallationRow } from '../db/installations.table.js';
import { transaction } from '../db/transaction.js';
import type { Clock } from '../domain/clock.js';
import { openToken, sealToken, TokenUnreadable, type TokenKeys } from '../lib/token-crypto.js';
import type { Logger } from '../logger.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import { NotInstalled, type TokenSource } from './clients.js';
import { SLACK_ID } from './ids.js';

/**
 * The workspaces docket was installed into through OAuth, as Bolt's installation store: the
 * install flow (`/slack/install` → Slack → `/slack/oauth_redirect`) stores each one here, and
 * Bolt fetches the workspace's token here for every request it authorizes. Tokens are sealed
 * at rest (src/lib/token-crypto.ts) and opened only in memory, briefly cached.
 */

/**
 * An install docket does not take: org-wide (Enterprise Grid) installs, which the manifest does
 * not offer (org_deploy_enabled is false), and an install without a bot (docket posts as one).
 */
export class InstallRefused extends Error {
  override name = 'InstallRefused';
  constructor(readonly code: 'org_install_not_supported' | 'no_bot_token' | 'bad_installation') {
    super(
      code === 'org_install_not_supported'
        ? 'docket is installed one workspace at a time; an org-wide (Enterprise Grid) install is not supported'
        : code === 'no_bot_token'
          ? 'the install granted no bot token; docket posts as its bot user'
          : 'the install did not name a workspace and bot user docket can use',
    );
  }
}

/** What installing and uninstalling change beyond the installation itself (src/services/installations.service.ts). */
export interface InstallHooks {
  /** In the install's transaction, for a workspace that had uninstalled docket: resume what the uninstall stopped. */
  reinstalled(trx: Trx, teamId: string, now: Date): Promise<Scheduled[]>;
  /** After the install committed: caches of the workspace go, the resumed messages are enqueued. */
  installed(teamId: string, resumed: Scheduled[]): Promise<void>;
  /** Bolt's deleteInstallation: the same as Slack's app_uninstalled. */
  uninstall(teamId: string): Promise<void>;
}

/** How long an opened token is used before Postgres is asked again (another process may have seen an uninstall). */
const TOKEN_CACHE_MS = 30_000;
const MAX_CACHED = 5000;

/** Installed workspaces' bot tokens, read from Postgres and opened: the TokenSource of an OAuth deployment. */
export class InstallationTokens implements TokenSource {
  private readonly cache = new Map<string, { at: number; row: InstallationRow; token: string }>();

  constructor(
    protected readonly db: Db,
    protected readonly keys: TokenKeys,
    private readonly cacheMs = TOKEN_CACHE_MS,
  ) {}

  /** The workspace's installation and token; NotInstalled when it has none (never installed, or uninstalled). */
  async installed(teamId: string, o: { fresh?: boolean } = {}): Promise<{ row: InstallationRow; token: string }> {
    const hit = this.cache.get(teamId);
    if (hit && !o.fresh && Date.now() - hit.at < this.cacheMs) return hit;
    const row = await findInstallation(this.db, teamId);
    // Not cached when missing: a workspace installed a moment later is served at once.
    if (!row || row.uninstalled_at || !row.bot_token_enc || !row.token_key_id) {
      this.cache.delete(teamId);
      throw new NotInstalled(teamId);
    }
    const token = openToken(this.keys, teamId, row.token_key_id, row.bot_token_enc);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    const entry = { at: Date.now(), row, token };
    this.cache.set(teamId, entry);
    return entry;
  }

  async tokenFor(teamId: string, o?: { fresh?: boolean }): Promise<string> {
    return (await this.installed(teamId, o)).token;
  }

  forget(teamId: string): void {
    this.cache.delete(teamId);
  }
}

const MAX_SCOPES = 255;
const cap = (v: string | undefined, max: number): string | null => (v === undefined || v === '' ? null : v.slice(0, max));

export class PostgresInstallationStore extends InstallationTokens implements InstallationStore {
  constructor(private readonly o: { db: Db; keys: TokenKeys; log: Logger; clock: Clock; hooks: InstallHooks }) {
    super(o.db, o.keys);
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    if (installation.isEnterpriseInstall || !installation.team?.id) throw new InstallRefused('org_install_not_supported');
    const bot = installation.bot;
    if (!bot?.token) throw new InstallRefused('no_bot_token');
    const teamId = installation.team.id;
    if (!SLACK_ID.team.test(teamId) || !SLACK_ID.user.test(bot.userId) || bot.token.length > 500) throw new InstallRefused('bad_installation');
    const { keyId, sealed } = sealToken(this.keys, teamId, bot.token);
    const now = this.o.clock.now();
    const done = await transaction(this.db, async (trx) => {
      const { previously } = await saveInstallation(trx, {
        teamId,
        enterpriseId: cap(installation.enterprise?.id, 40),
        appId: cap(installation.appId, 40),
        botUserId: bot.userId,
        botId: cap(bot.id, 40),
        botScopes: (bot.scopes ?? []).slice(0, MAX_SCOPES).map((s) => s.slice(0, 100)),
        tokenKeyId: keyId,
        botTokenEnc: sealed,
        installerUserId: cap(installation.user?.id, 40),
      });
      const resumed = previously === 'uninstalled' ? await this.o.hooks.reinstalled(trx, teamId, now) : [];
      return { previously, resumed };
    });
    this.forget(teamId);
    // Ids only: never the token, nor the installer's name.
    this.o.log.info({ team: teamId, previously: done.previously, resumed: done.resumed.length }, 'workspace installed');
    await this.o.hooks.installed(teamId, done.resumed);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    if (query.isEnterpriseInstall || !query.teamId) throw new InstallRefused('org_install_not_supported');
    const { row, token } = await this.installed(query.teamId);
    const installation: Installation<'v2', false> = {
      team: { id: row.team_id },
      enterprise: row.enterprise_id ? { id: row.enterprise_id } : undefined,
      user: { id: row.installer_user_id ?? '', token: undefined, scopes: undefined },
      bot: { token, scopes: row.bot_scopes, id: row.bot_id ?? '', userId: row.bot_user_id },
      ...(row.app_id ? { appId: row.app_id } : {}),
      tokenType: 'bot',
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    if (!query.teamId) return;
    await this.o.hooks.uninstall(query.teamId);
    this.forget(query.teamId);
  }
}

/**
 * Key rotation (`npm run rotate-tokens`): every token sealed with another key than the current
 * one is opened and sealed again with the current one, a workspace at a time (a row changed
 * meanwhile, by an install or an uninstall, is left to what changed it). A token no configured
 * key opens is counted, never touched: its workspace must install docket again.
 */
export async function resealTokens(db: Db, keys: TokenKeys, o: { batch?: number } = {}): Promise<{ resealed: number; unreadable: string[] }> {
  let resealed = 0;
  const unreadable: string[] = [];
  let after = '';
  for (;;) {
    const rows = await sealedWithOtherKeys(db, keys.current, after, o.batch ?? 100);
    if (rows.length === 0) return { resealed, unreadable };
    for (const r of rows) {
      after = r.team_id;
      let token: string;
      try {
        token = openToken(keys, r.team_id, r.token_key_id!, r.bot_token_enc!);
      } catch (err) {
        if (!(err instanceof TokenUnreadable)) throw err;
        unreadable.push(r.team_id);
        continue;
      }
      if (await resealToken(db, r.team_id, r.token_key_id!, sealToken(keys, r.team_id, token))) resealed++;
    }
  }
}
