import { parseArgs } from 'node:util';
import { startDocket, type Docket } from './app.js';
import { ConfigError, LOCAL_SIGNING_SECRET, botTokenOf, loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { createLogger } from './logger.js';
import { startWorkers, type Workers } from './queue/workers.js';
import { InfraError, openInfra } from './services/infra.js';

/**
 * `npm start` runs the web side and the workers in one process; `npm run start:web` and
 * `npm run start:worker` run one of them, so workers can scale out over several processes
 * against one Redis and one Postgres.
 */
function die(message: string): never {
  process.stderr.write(`docket: ${message}\n`);
  process.exit(1);
}

const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
const role = values.role;
if (role !== 'all' && role !== 'web' && role !== 'worker') die(`--role must be all, web or worker (got "${role}")`);

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

let docket: Docket | undefined;
let workers: Workers | undefined;
let stopping = false;
/** Workers first (running jobs finish and record what they posted), then HTTP, then the pools. */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // A store that no longer answers must not keep the process from stopping.
  setTimeout(() => {
    log.error({ signal }, 'shutdown timed out');
    process.exit(1);
  }, 20_000).unref();
  await workers?.close();
  await docket?.stop();
  await db.destroy();
  redis.disconnect();
  process.exit(0);
}
// Registered before anything starts, so a signal during start-up still shuts down in order.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

if (role !== 'worker') {
  docket = await startDocket({ config, log, db, redis });
  log.info({ url: docket.url, mode: config.slack.kind, role }, 'docket is up');
}
if (role !== 'web') {
  // Local mode: the fake Slack lives in the web process (this one, or another on PORT).
  const slackApiUrl = config.slackApiUrl ?? docket?.fake?.apiUrl ?? (config.slack.kind === 'local' ? `http://127.0.0.1:${config.port}/api/` : undefined);
  workers = startWorkers({ config: config.workers, log, db, redis, clock: systemClock, botToken: botTokenOf(config), slackApiUrl });
  log.info({ role, concurrency: config.workers.concurrency }, 'workers are up');
}

if (docket?.fake) {
  process.stdout.write(
    [
      '',
      `docket is running against its built-in local workspace at ${docket.url}`,
      `  Slack endpoint: ${docket.url}/slack/events (signing secret "${LOCAL_SIGNING_SECRET}")`,
      '  Talk to it from another terminal, e.g.:',
      '    npm run say -- "/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai"',
      '    npm run say -- "/case open Zhang, fled 2003"',
      '    npm run say -- "/action add GZ-2026-001 Check bank records owner:@bao due:tomorrow 17:00"',
      '',
    ].join('\n'),
  );
}
