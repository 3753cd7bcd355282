import { sql, type Kysely } from 'kysely';

/**
 * Many workspaces on one deployment (OAuth install). One row per workspace docket was installed
 * into: who installed it, what Slack granted, and its bot token sealed (AES-256-GCM,
 * iv | tag | ciphertext, the team id as additional data) with the id of the key that sealed it,
 * so a key can be rotated. An uninstall keeps the row (when, and that it happened) and drops
 * the token.
 *
 * While a workspace has uninstalled docket its schedules are suspended (`suspended_at`), not
 * disabled: `enabled` is the group's own choice, which a re-install must give back as it was.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installations')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('bot_user_id', 'text', (c) => c.notNull())
    .addColumn('bot_id', 'text')
    .addColumn('bot_scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('token_key_id', 'text')
    .addColumn('bot_token_enc', 'bytea')
    .addColumn('installer_user_id', 'text')
    .addColumn('installed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('uninstalled_at', 'timestamptz')
    // Installed: a token and the key that sealed it. Uninstalled: no token at all.
    .addCheckConstraint('installations_token_ck', sql`(uninstalled_at is null) = (bot_token_enc is not null and token_key_id is not null)`)
    .execute();
  await sql`create index installations_key_idx on installations (token_key_id) where bot_token_enc is not null`.execute(db);

  await db.schema.alterTable('schedules').addColumn('suspended_at', 'timestamptz').execute();
  await sql`drop index schedules_due_idx`.execute(db);
  await sql`create index schedules_due_idx on schedules (next_run_at) where enabled and suspended_at is null`.execute(db);
  // What an uninstall finds and a re-install gives back: a team's messages not yet sent.
  await sql`create index outbox_team_live_idx on outbox (team_id) where state in ('pending', 'claimed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_team_live_idx`.execute(db);
  await sql`drop index schedules_due_idx`.execute(db);
  await sql`create index schedules_due_idx on schedules (next_run_at) where enabled`.execute(db);
  await db.schema.alterTable('schedules').dropColumn('suspended_at').execute();
  await db.schema.dropTable('installations').execute();
}
