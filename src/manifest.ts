/**
 * `npm run manifest -- --url https://docket.example.org` prints the Slack app manifest (JSON)
 * for an app reached over HTTPS at that base URL; `npm run manifest -- --socket` prints the
 * Socket Mode one (no public URL). Paste it into "Create New App → From an app manifest".
 */
import { parseArgs } from 'node:util';
import { compose } from './features/feature.js';
import { features } from './features/index.js';
import { slackManifest } from './slack/manifest.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, socket: { type: 'boolean', default: false }, name: { type: 'string' } } });
if (!values.socket && !values.url) {
  process.stderr.write('usage: npm run manifest -- --url https://your-docket.example.org   (or --socket for Socket Mode)\n');
  process.exit(2);
}
if (values.url && !/^https:\/\/[^\s/]+/.test(values.url)) {
  process.stderr.write('--url must be the public https:// address docket is reached at\n');
  process.exit(2);
}
const manifest = slackManifest(compose(features), { ...(values.socket ? {} : { url: values.url! }), ...(values.name ? { name: values.name } : {}) });
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
