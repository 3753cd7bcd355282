import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Test databases: one template migrated per run, one clone per test file. Names carry a hash
 * of the checkout's path so two checkouts on one machine never share a database.
 */
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tag = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8);

export const TEMPLATE_DB = `docket_test_${tag}_tpl`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(name: string, template?: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await c.query(`create database ${pg.escapeIdentifier(name)}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`);
  });
  return databaseUrl(name);
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function cloneForFile(): Promise<string> {
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
  return recreateDatabase(`docket_test_${tag}_w${worker}`, TEMPLATE_DB);
}
