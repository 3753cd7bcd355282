import { createDb } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { TEMPLATE_DB, recreateDatabase } from './databases.js';

/** Migrates the template database once per run; every test file clones it. */
export default async function setup(): Promise<void> {
  const url = await recreateDatabase(TEMPLATE_DB);
  const db = createDb(url, 1);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
