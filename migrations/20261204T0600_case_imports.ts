import { sql, type Kysely } from 'kysely';

/**
 * Bringing an office's existing ledger in from a CSV file. A dry run keeps the file's rows as
 * a pending import (named by its content's hash, per group) for a day; confirming creates its
 * cases in one transaction and marks it done, dropping the rows (the cases hold them now). The
 * same file again, or a second click on Confirm, finds it done and creates nothing. Each case
 * keeps the reference it had in the file (`source_ref`), so a row already brought in is
 * recognised in a later, edited file too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_imports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'bigint', (c) => c.notNull().references('groups.id'))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    // [[cell, …], …]: the file's records, header first, as read (empty once done).
    .addColumn('records', 'jsonb', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'done')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'timestamptz')
    .addColumn('case_ids', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addUniqueConstraint('case_imports_content_uq', ['group_id', 'content_hash'])
    .execute();
  await db.schema.alterTable('cases').addColumn('source_ref', 'text').execute();
  await db.schema.createIndex('cases_source_ref_uq').unique().on('cases').columns(['group_id', 'source_ref']).where(sql.ref('source_ref'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_source_ref_uq').execute();
  await db.schema.alterTable('cases').dropColumn('source_ref').execute();
  await db.schema.dropTable('case_imports').execute();
}
