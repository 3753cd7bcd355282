import { loadConfig } from '../config.js';
import { createDb, ensureDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

const config = loadConfig();
await ensureDatabase(config.databaseUrl);
const db = createDb(config.databaseUrl, 1);
try {
  const { results } = await migrateToLatest(db);
  for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName}`);
  if (!results?.length) console.log('database is up to date');
} finally {
  await db.destroy();
}
