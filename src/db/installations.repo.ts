import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { InstallationRow } from './installations.table.js';

/** What an OAuth install leaves: the workspace, what Slack granted, and the token as sealed. */
export interface NewInstallation {
  teamId: string;
  enterpriseId: string | null;
  appId: string | null;
  botUserId: string;
  botId: string | null;
  botScopes: readonly string[];
  tokenKeyId: string;
  botTokenEnc: Buffer;
  installerUserId: string | null;
}

/**
 * Records an install (first or again): the new token replaces any old one, and an uninstalled
 * workspace is installed again. Answers whether it had been uninstalled (or not known at all).
 */
export async function saveInstallation(trx: Executor, i: NewInstallation): Promise<{ previously: 'new' | 'installed' | 'uninstalled' }> {
  const before = await trx.selectFrom('installations').select(['uninstalled_at']).where('team_id', '=', i.teamId).forUpdate().executeTakeFirst();
  const values = {
    enterprise_id: i.enterpriseId,
    app_id: i.appId,
    bot_user_id: i.botUserId,
    bot_id: i.botId,
    bot_scopes: [...i.botScopes],
    token_key_id: i.tokenKeyId,
    bot_token_enc: i.botTokenEnc,
    installer_user_id: i.installerUserId,
    uninstalled_at: null,
  };
  await trx
    .insertInto('installations')
    .values({ team_id: i.teamId, ...values })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();
  return { previously: !before ? 'new' : before.uninstalled_at ? 'uninstalled' : 'installed' };
}

/** The workspace's installation, installed or not; undefined when docket never was. */
export function findInstallation(db: Executor, teamId: string): Promise<InstallationRow | undefined> {
  return db.selectFrom('installations').selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/**
 * Uninstalled (or its bot token revoked): the token goes, the row stays. Answers false when it
 * was not installed (a repeated event, a workspace docket never knew): nothing changed.
 */
export async function markUninstalled(trx: Executor, teamId: string, at: Date): Promise<boolean> {
  const r = await trx
    .updateTable('installations')
    .set({ uninstalled_at: at, bot_token_enc: null, token_key_id: null, updated_at: at })
    .where('team_id', '=', teamId)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Installed workspaces whose token another key than `keyId` sealed, after `afterTeam`: what a key rotation re-seals. */
export function sealedWithOtherKeys(db: Executor, keyId: string, afterTeam: string, limit: number): Promise<Pick<InstallationRow, 'team_id' | 'token_key_id' | 'bot_token_enc'>[]> {
  return db
    .selectFrom('installations')
    .select(['team_id', 'token_key_id', 'bot_token_enc'])
    .where('bot_token_enc', 'is not', null)
    .where('token_key_id', '<>', keyId)
    .where('team_id', '>', afterTeam)
    .orderBy('team_id')
    .limit(limit)
    .execute();
}

/** Replaces one workspace's sealed token, if it is still the one read (`fromKeyId`). */
export async function resealToken(db: Executor, teamId: string, fromKeyId: string, to: { keyId: string; sealed: Buffer }): Promise<boolean> {
  const r = await db
    .updateTable('installations')
    .set({ token_key_id: to.keyId, bot_token_enc: to.sealed })
    .where('team_id', '=', teamId)
    .where('token_key_id', '=', fromKeyId)
    .where('bot_token_enc', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many workspaces have docket installed now. */
export async function countInstallations(db: Executor): Promise<number> {
  const r = await db.selectFrom('installations').select((eb) => eb.fn.countAll<string>().as('n')).where('uninstalled_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
