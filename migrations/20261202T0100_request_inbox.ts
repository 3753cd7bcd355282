import { sql, type Kysely } from 'kysely';

/**
 * Every Slack request docket acknowledges is written here first, so that a crash or a deploy
 * after the ack cannot lose it: Slack does not resend what got a 200. A row is `received`
 * until its answer went out (`done`); a process works a row under a lease it renews, and a
 * row whose lease ran out (its process died) is taken over and answered late.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('request_inbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('command', 'button', 'view')`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    // Tells this process's own row from a same-key row another delivery wrote (see admit()).
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('received').check(sql`state in ('received', 'done', 'failed')`))
    .addColumn('lease_until', 'timestamptz', (c) => c.notNull())
    // Which process holds the lease: only it renews it, so a takeover is never undone by the loser.
    .addColumn('lease_owner', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('request_inbox_key', ['team_id', 'key'])
    .execute();
  await db.schema.createIndex('request_inbox_pending_idx').on('request_inbox').column('lease_until').where(sql.ref('state'), '=', 'received').execute();
  await db.schema.createIndex('request_inbox_received_idx').on('request_inbox').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('request_inbox').execute();
}
