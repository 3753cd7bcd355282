/**
 * `npm run rotate-tokens` (in production: `node dist/src/rotate-tokens.js`): after a new key was
 * put first in TOKEN_ENCRYPTION_KEYS and docket restarted with it, seals every workspace's bot
 * token again with that key, so the old key can be dropped. Safe to run again, and while docket
 * runs. Says how many it sealed again, and which workspaces' tokens no key opens (those must
 * install docket again); exit code 1 when there are any.
 */
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/connect.js';
import { resealTokens } from './slack/installations.js';

function die(message: string): never {
  process.stderr.write(`docket: ${message}\n`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  die(err instanceof ConfigError ? err.message : String(err));
}
if (config.slack.kind !== 'oauth') die('rotate-tokens is for a deployment installed through OAuth (SLACK_CLIENT_ID set): a single workspace keeps its token in SLACK_BOT_TOKEN, not in the database');
const keys = config.slack.tokenKeys;
const db = createDb(config.databaseUrl, 2);
try {
  const r = await resealTokens(db, keys);
  process.stdout.write(`docket: ${r.resealed} workspace token(s) sealed again with key "${keys.current}"\n`);
  if (r.unreadable.length > 0) {
    process.stderr.write(`docket: no key in TOKEN_ENCRYPTION_KEYS opens the token of ${r.unreadable.length} workspace(s) (${r.unreadable.join(', ')}): put their key back, or have them install docket again\n`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
