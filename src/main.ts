import { startDocket } from './app.js';
import { ConfigError, LOCAL_SIGNING_SECRET, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { InfraError, openInfra } from './services/infra.js';

function die(message: string): never {
  process.stderr.write(message.split('\n').map((line) => `docket: ${line}\n`).join(''));
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  die(err instanceof ConfigError ? err.message : String(err));
}
const log = createLogger(config.logLevel);

const infra = await openInfra(config, { notice: (line) => process.stdout.write(`docket: ${line}\n`) }).catch((err: unknown) =>
  die(err instanceof InfraError ? err.message : `start-up failed: ${(err as Error).message}`),
);
const { db, redis } = infra;

const docket = await startDocket({ config, log, db, redis });
log.info({ url: docket.url, mode: config.slack.kind }, 'docket is up');
if (docket.fake) {
  process.stdout.write(
    [
      '',
      `docket is running against its built-in local workspace (no Slack account needed).`,
      `  Open ${docket.url.replace('127.0.0.1', 'localhost')}/ in a browser and type /docket help in #fugitive-recovery.`,
      '  Sample data: npm run demo (in another terminal) fills #fugitive-recovery with the reference cases.',
      `  Slack endpoint: ${docket.url}/slack/events (signing secret "${LOCAL_SIGNING_SECRET}"); from a terminal: npm run say -- "/case help"`,
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
  await infra.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
