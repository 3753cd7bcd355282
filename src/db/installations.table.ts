import type { Generated, Selectable } from 'kysely';

/**
 * A workspace docket was installed into through OAuth (one row per team). The bot token is kept
 * sealed (src/lib/token-crypto.ts); an uninstalled workspace keeps its row without a token.
 */
export interface InstallationsTable {
  team_id: string;
  enterprise_id: string | null;
  app_id: string | null;
  bot_user_id: string;
  bot_id: string | null;
  bot_scopes: Generated<string[]>;
  /** Which of TOKEN_ENCRYPTION_KEYS sealed the token; null once uninstalled. */
  token_key_id: string | null;
  /** iv | tag | ciphertext; null once uninstalled. */
  bot_token_enc: Buffer | null;
  installer_user_id: string | null;
  installed_at: Generated<Date>;
  updated_at: Generated<Date>;
  uninstalled_at: Date | null;
}
export type InstallationRow = Selectable<InstallationsTable>;
