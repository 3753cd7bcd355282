import type { Kysely } from 'kysely';

/**
 * Handled-request keys only need to outlive Slack's retries and a double click; a worker
 * forgets old ones (see src/queue/housekeeping.ts). This index lets it find them without
 * reading the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('processed_requests_created_idx').on('processed_requests').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('processed_requests_created_idx').execute();
}
