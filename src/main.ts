import { startDocket } from './app.js';
import { ConfigError, LOCAL_SIGNING_SECRET, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { InfraError, openInfra } from './services/infra.js';

function die(message: string): never {
  process.stderr.write(`docket: ${message}\n`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  die(err instanceof ConfigError ? err.message : String(err));
}
const log = createLogger(config.logLevel);

const { db, redis } = await openInfra(config).catch((err: unknown) =>
  die(err instanceof InfraError ? err.message : `start-up failed: ${(err as Error).message}`),
);

const docket = await startDocket({ config, log, db, redis });
log.info({ url: docket.url, mode: config.slack.kind }, 'docket is up');
if (docket.fake) {
  process.stdout.write(
    [
      '',
      `docket is running against its built-in local workspace at ${docket.url}`,
      `  Slack endpoint: ${docket.url}/slack/events (signing secret "${LOCAL_SIGNING_SECRET}")`,
      '  Talk to it from another terminal, e.g.:',
      '    npm run say -- "/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai"',
      '    npm run say -- "/case open Zhang, fled 2003"',
      '    npm run say -- "/case list"',
      '',
    ].join('\n'),
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await docket.stop();
  await db.destroy();
  redis.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
