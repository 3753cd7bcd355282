import { parseArgs } from 'node:util';
import { startDocket, startRequestRunner, tokenSourceFor, type Docket, type Runner } from './app.js';
import { ConfigError, LOCAL_SIGNING_SECRET, loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { createLogger } from './logger.js';
import { startWorkers, type Workers } from './queue/workers.js';
import { InfraError, openInfra } from './services/infra.js';
import { Metrics } from './lib/metrics.js';
import { localAddress, startOpsServer, type OpsServer } from './ops.js';

/**
 * `npm start` runs the web side and the workers in one process; `npm run start:web` and
 * `npm run start:worker` run one of them, so workers can scale out over several processes
 * against one Redis and one Postgres.
 */
function die(message: string): never {
  process.stderr.write(message.split('\n').map((line) => `docket: ${line}\n`).join(''));
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

const infra = await openInfra(config, { log, notice: (line) => process.stdout.write(`docket: ${line}\n`) }).catch((err: unknown) =>
  die(err instanceof InfraError ? err.message : `start-up failed: ${(err as Error).message}`),
);
const { db, intakeDb, redis } = infra;

// One registry for the process: the web side's and the workers' metrics on one /metrics.
const metrics = new Metrics();
let docket: Docket | undefined;
let workers: Workers | undefined;
let runner: Runner | undefined;
let ops: OpsServer | undefined;
let stopping = false;
/**
 * Workers and the web side drain side by side (running jobs finish and record what they
 * posted; acknowledged requests are answered), then the pools close. Each step's failure is
 * logged and the next still runs; past the drain time plus a margin, the process exits anyway.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // A store that no longer answers must not keep the process from stopping.
  setTimeout(() => {
    log.error({ signal }, 'shutdown timed out');
    process.exit(1);
  }, config.requests.drainMs + 15_000).unref();
  const step = (what: string, p: Promise<unknown> | undefined) =>
    Promise.resolve(p).catch((err: unknown) => log.error({ step: what, err: { name: (err as Error).name, message: (err as Error).message } }, 'shutdown step failed'));
  await Promise.all([step('workers', workers?.close()), step('requests', runner?.close()), step('web', docket?.stop())]);
  await step('metrics', ops?.close());
  await step('pools', infra.close());
  process.exit(0);
}
// Registered before anything starts, so a signal during start-up still shuts down in order.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

if (role !== 'worker') {
  // While Slack does not answer, one line per attempt on stderr, like the other start-up trouble.
  const notice = (line: string) => process.stderr.write(`docket: ${line}\n`);
  docket = await startDocket({ config, log, db, intakeDb, redis, notice, metrics }).catch(async (err: unknown) => {
    await infra.close().catch(() => undefined); // the embedded database's lock goes with it
    return die(err instanceof InfraError ? err.message : `start-up failed: ${(err as Error).message}`);
  });
  log.info({ url: docket.url, mode: config.slack.kind, role }, 'docket is up');
}
// A worker-only process has no web server: /metrics and /healthz on a port of their own, if asked.
if (role === 'worker' && config.metrics.port !== undefined) {
  const port = config.metrics.port;
  ops = await startOpsServer({ host: config.host, port, metrics, token: config.metrics.token, db, log }).catch(async (err: unknown) => {
    await infra.close().catch(() => undefined);
    return die(`METRICS_PORT ${port} cannot be listened on (${(err as { code?: string }).code ?? (err as Error).message}): set METRICS_PORT to a free port, or leave it unset`);
  });
}
if (role !== 'web') {
  // Local mode: the fake Slack lives in the web process (this one, or another on PORT).
  const slackApiUrl = config.slackApiUrl ?? docket?.fake?.apiUrl ?? (config.slack.kind === 'local' ? `http://${localAddress(config.host)}:${config.port}/api/` : undefined);
  workers = startWorkers({ config: config.workers, log, db, redis, clock: systemClock, tokens: tokenSourceFor(config, db), slackApiUrl, metrics });
  // REQUESTS_RUN_IN=worker: web processes only record and acknowledge; the workers run the requests.
  if (config.requests.runIn === 'worker') runner = startRequestRunner({ config, log, db, databaseUrl: infra.databaseUrl, redis, metrics, slackApiUrl });
  log.info({ role, concurrency: config.workers.concurrency, requests: config.requests.runIn === 'worker' ? config.requests.concurrency : 0 }, 'workers are up');
}

if (docket?.fake) {
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
