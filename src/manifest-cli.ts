import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { compose } from './features/feature.js';
import { features, oauthFeatures } from './features/index.js';
import { slackManifest } from './slack/manifest.js';
import { checkManifest } from './slack/manifest-check.js';

const USAGE = 'usage: npm run manifest -- --url https://your-docket.example.org   (or PUBLIC_URL set; --oauth to install into many workspaces; or --socket for Socket Mode)\n';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run manifest`: the manifest for `--url` (else PUBLIC_URL), or for Socket Mode with
 * `--socket`, checked against Slack's rules first. With `--oauth` (or SLACK_CLIENT_ID set), the
 * app installs into many workspaces: Slack sends installers back to `<url>/slack/oauth_redirect`,
 * and tells docket when a workspace uninstalls it. A manifest Slack would refuse is not
 * printed: its problems go to stderr and the exit code is 1 (2 for a wrong call).
 */
export function manifestCommand(argv: string[], env?: NodeJS.ProcessEnv): CommandResult {
  const fail = (code: number, stderr: string): CommandResult => ({ code, stdout: '', stderr });
  let args: { url?: string | undefined; socket: boolean; oauth: boolean; name?: string | undefined };
  try {
    args = parseArgs({ args: argv, options: { url: { type: 'string' }, socket: { type: 'boolean', default: false }, oauth: { type: 'boolean', default: false }, name: { type: 'string' } } }).values as typeof args;
  } catch (err) {
    return fail(2, `${(err as Error).message}\n${USAGE}`);
  }
  if (args.socket && args.url) return fail(2, `--url and --socket exclude each other: Socket Mode has no public URL\n${USAGE}`);
  if (args.socket && args.oauth) return fail(2, `--oauth and --socket exclude each other: Slack sends installers back to a public URL\n${USAGE}`);
  let url = args.url;
  let oauth = args.oauth;
  if (!args.socket && !url) {
    try {
      const config = loadConfig(env);
      url = config.publicUrl;
      oauth ||= config.slack.kind === 'oauth';
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return fail(2, `${err.message}\n`);
    }
  }
  if (!args.socket && !url) return fail(2, USAGE);
  const surfaces = compose(oauth ? [...features, ...oauthFeatures] : features);
  const manifest = slackManifest(surfaces, { ...(args.socket ? {} : { url: url!, oauth }), ...(args.name !== undefined ? { name: args.name } : {}) });
  const problems = checkManifest(manifest);
  if (problems.length > 0) return fail(1, `Slack would refuse this manifest:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  return { code: 0, stdout: `${JSON.stringify(manifest, null, 2)}\n`, stderr: '' };
}
