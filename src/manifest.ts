/**
 * `npm run manifest -- --url https://docket.example.org` prints the Slack app manifest (JSON)
 * for an app reached over HTTPS at that base URL (PUBLIC_URL when --url is not given);
 * `npm run manifest -- --socket` prints the Socket Mode one (no public URL). Paste it into
 * "Create New App → From an app manifest". A manifest that breaks one of Slack's rules is not
 * printed: the problems go to stderr and the exit code is 1.
 */
import { manifestCommand } from './manifest-cli.js';

const r = manifestCommand(process.argv.slice(2));
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exitCode = r.code;
