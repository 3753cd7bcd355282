import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { executor, registerListeners } from '../commands/index.js';
import { botTokenOf, LOCAL_BOT_TOKEN, signingSecretOf, type Config } from './config.js';
import type { WorkspaceRoutes } from './local/web/routes.js';
import type { LocalWorkspace } from './local/web/workspace.js';
import { poolHealth } from './db/connect.js';
import { LATE, within } from './lib/deadline.js';
import type { Db } from './db/database.js';
import { systemClock, type Clock } from './domain/clock.js';
import { boltLogger, type Logger } from './logger.js';
import type { FakeSlack } from './slack/fake/fake-slack.js';
import { BullOutboxScheduler, outboxQueue } from './platform/outbox/queue.js';
import type { Deps } from './slack/handler.js';
import { slackEdge } from './slack/edge.js';
import { Registrations } from './slack/registrations.js';
import { features, oauthFeatures } from './features/index.js';
import { compose, type Feature, type Route, type Surfaces } from './features/feature.js';
import { listen } from './db/listen.js';
import { REQUESTS_CHANNEL } from './db/inbox.repo.js';
import { Inbox } from './slack/inbox.js';
import { SlackLookups } from './slack/lookup.js';
import { singleToken, slackClients, type SlackClients, type TokenSource } from './slack/clients.js';
import { InstallationTokens, PostgresInstallationStore } from './slack/installations.js';
import { installPages } from './slack/install-pages.js';
import { botScopes } from './slack/manifest.js';
import { countInstallations } from './db/installations.repo.js';
import { resumeWorkspaceIn, uninstallWorkspace } from './services/installations.service.js';
import { SlackRefused, classifySlackFailure, connectToSlack, slackHost } from './slack/connect.js';
import { InfraError } from './services/infra.js';
import { Metrics } from './lib/metrics.js';
import { healthz, localAddress, metricsRoute, watch } from './ops.js';

export interface DocketOptions {
  config: Config;
  log: Logger;
  db: Db;
  /** Where requests are recorded before their ack (a small pool of its own); defaults to db. */
  intakeDb?: Db;
  redis: Redis;
  clock?: Clock;
  /** What docket answers (default: every feature of src/features). */
  features?: readonly Feature[];
  /** Told in one line each while Slack does not answer at start-up (default: the log, as warnings). */
  notice?: (line: string) => void;
  /** The process's metrics, shared with the workers when one process runs both (default: a registry of its own). */
  metrics?: Metrics;
}

export interface Docket {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The in-process fake Slack in local mode. */
  fake: FakeSlack | undefined;
  /** The local workspace behind the page at `/` (local mode only). */
  workspace: LocalWorkspace | undefined;
  deps: Deps;
  bolt: InstanceType<typeof App>;
  inbox: Inbox;
  /** What the edge and the local page know docket answers; a test adding raw Bolt listeners declares them here. */
  registrations: Registrations;
  /** What GET /metrics shows. */
  metrics: Metrics;
  /** Stops taking requests, finishes those in progress (up to the drain time), then closes. */
  stop(): Promise<void>;
}

/** Where the OAuth install starts, and where Slack sends the installer back (Bolt's usual paths). */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Each workspace's bot token, for the web side and the workers alike: the one token of a
 * single-workspace deployment, or the installations' (sealed in Postgres) when docket is
 * installed through OAuth.
 */
export function tokenSourceFor(config: Config, db: Db): TokenSource {
  const s = config.slack;
  return s.kind === 'oauth' ? new InstallationTokens(db, s.tokenKeys) : singleToken(botTokenOf(config)!);
}

/** Slack's authorize page beside the Web API it is given (a fake's, in tests); undefined: Slack's own. */
function authorizationUrlFor(apiUrl: string | undefined): string | undefined {
  return apiUrl ? new URL('../oauth/v2/authorize', new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`)).toString() : undefined;
}

/** Waiting this long for a connection with none freed means the pool is stuck, not just busy. */
const POOL_STUCK_MS = 2000;

function healthRoutes(web: express.Express, o: { db: Db; redis: Redis; inbox: Inbox; slack: () => boolean }): void {
  web.get('/healthz', healthz(o.db));
  web.get('/readyz', async (_req, res) => {
    const [pg, rd] = await Promise.all([within(sql`select 1`.execute(o.db), 2000), within(o.redis.ping(), 2000)].map((p) => p.then((v) => v !== LATE, () => false)));
    const pool = poolHealth(o.db);
    const load = o.inbox.load;
    const checks = {
      postgres: pg,
      redis: rd,
      pool: !pool || (pool.stuckMs < POOL_STUCK_MS && pool.waiting <= pool.max),
      requests: !o.inbox.full,
      slack: o.slack(),
    };
    const ok = Object.values(checks).every(Boolean);
    res.status(ok ? 200 : 503).json({ ok, checks, ...(pool ? { pool: { total: pool.total, idle: pool.idle, waiting: pool.waiting, max: pool.max } } : {}), load });
  });
}

/**
 * The features' own pages (the calendar feed). A failure is logged by the route's pattern,
 * never the path asked for: a path may carry a secret.
 */
function featureRoutes(web: express.Express, routes: ReadonlyMap<string, Route>, deps: Deps): void {
  for (const [path, route] of routes) {
    web.get(path, (req, res) => {
      route.get(req.params as Record<string, string | undefined>, deps).then(
        (a) => {
          res.status(a.status);
          if (a.headers) res.set(a.headers);
          if (a.body === undefined) res.end();
          else res.send(a.body);
        },
        (err: unknown) => {
          deps.log.error({ route: path, err: { name: (err as Error).name, code: (err as { code?: string }).code } }, 'route failed');
          res.status(500).end();
        },
      );
    });
  }
}

/** What a request's handler is given, the same in a web process and in a runner. */
function requestDeps(o: { db: Db; clock: Clock; log: Logger; metrics: Metrics; clients: SlackClients; outbox: BullOutboxScheduler; surfaces: Surfaces; publicUrl: string }): Deps {
  const { db, clock, log, metrics, clients, outbox } = o;
  return { db, clock, log, metrics, clients, lookups: new SlackLookups(clients), outbox, commands: [...o.surfaces.commands.values()], publicUrl: o.publicUrl };
}

export interface RunnerOptions {
  config: Config;
  log: Logger;
  db: Db;
  /** Where db connects: the runner LISTENs there for requests handed off to it. */
  databaseUrl: string;
  redis: Redis;
  clock?: Clock;
  metrics?: Metrics;
  slackApiUrl: string | undefined;
  features?: readonly Feature[];
}

export interface Runner {
  inbox: Inbox;
  /** Stops taking requests and lets those running finish (up to the drain time). */
  close(): Promise<void>;
}

/**
 * A worker's part when REQUESTS_RUN_IN=worker: takes the requests web processes recorded
 * and acknowledged (each announced through NOTIFY, and swept for as a fallback) and runs
 * them as the web process would have, answering through their response_url.
 */
export function startRequestRunner(o: RunnerOptions): Runner {
  const { config, db, redis } = o;
  const log = o.log.child({ component: 'requests' });
  const surfaces = compose(o.features ?? (config.slack.kind === 'oauth' ? [...features, ...oauthFeatures] : features));
  const clock = o.clock ?? systemClock;
  // As the web side's clients, per workspace: a few quick retries, for answers a person is waiting for.
  const clients = slackClients(tokenSourceFor(config, db), { timeout: 5000, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 }, ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}) });
  const queue = outboxQueue(redis, config.workers.queuePrefix);
  const publicUrl = config.publicUrl ?? `http://${localAddress(config.host)}:${config.port}`;
  const deps = requestDeps({ db, clock, log, metrics: o.metrics ?? new Metrics(), clients, outbox: new BullOutboxScheduler(queue, clock, log), surfaces, publicUrl });
  const inbox = new Inbox({ db, log, config: config.requests, execute: executor(surfaces, deps), part: 'runner', listen: (notified) => listen(o.databaseUrl, REQUESTS_CHANNEL, notified, log) });
  inbox.start();
  return {
    inbox,
    async close() {
      await inbox.close();
      await queue.close();
    },
  };
}

/** A port (or address) docket cannot listen on, as one line with the fix. */
function listenError(err: unknown, port: number, host: string | undefined): unknown {
  const code = (err as { code?: string }).code;
  if (host !== undefined && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return new InfraError(`HOST ${host} is not an address of this machine (${code}). Set HOST to one of its addresses, or 0.0.0.0 for all of them.`);
  }
  if (code === 'EADDRINUSE') return new InfraError(`Port ${port} is already in use (another docket, or another program, is listening on it). Stop that process (lsof -i :${port} shows which), or set PORT to a free port.`);
  if (code === 'EACCES') return new InfraError(`Port ${port} needs privileges docket does not have. Set PORT to 1024 or above.`);
  return err;
}

/**
 * Starts docket's HTTP side: Bolt on /slack/events, health checks, and in local mode the
 * fake Slack Web API on the same port. The caller owns db and redis and closes them.
 */
export async function startDocket(opts: DocketOptions): Promise<Docket> {
  const { config, log, db, redis } = opts;
  const web = express();
  web.disable('x-powered-by');

  const oauth = config.slack.kind === 'oauth' ? config.slack : undefined;
  // What the features declare: the edge asks it about every request, the local page lists its commands.
  const surfaces = compose(opts.features ?? (oauth ? [...features, ...oauthFeatures] : features));
  const registrations = new Registrations()
    .declare('command', surfaces.commands.keys())
    .declare('button', surfaces.buttons.keys())
    .declare('view', surfaces.forms.keys())
    .declare('event', surfaces.events.keys());
  // Until Slack has answered auth.test, Bolt cannot authorize a request: say so at once (Slack
  // retries events) rather than let it fail inside Bolt after the 3 s Slack waits.
  let slackConnected = false;
  web.post(
    '/slack/events',
    (_req, res, next) => (slackConnected ? next() : void res.status(503).set({ 'retry-after': '10', connection: 'close' }).end()),
    slackEdge({ secret: signingSecretOf(config), log, answers: (kind, id) => registrations.answers(kind, id) }),
  );

  const local = config.slack.kind === 'local';
  // Local mode only: the fake Slack and the workspace page, loaded on demand (src/local/mount.ts).
  const localMode = local ? await import('./local/mount.js') : undefined;
  const fake = localMode?.mountFakeSlack(web, LOCAL_BOT_TOKEN);

  const server = http.createServer(web);
  // Slack sends small bodies at once: a client trickling one in must not hold a socket for minutes.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch((err: unknown) => {
    throw listenError(err, config.port, config.host);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${localAddress(config.host)}:${port}`;
  if (fake) fake.baseUrl = url;

  const slackApiUrl = config.slackApiUrl ?? (fake ? fake.apiUrl : undefined);
  const boltLog = boltLogger(log);
  // While connecting, the client's warning for each failed request would repeat, three times
  // an attempt, what connectToSlack says in one line.
  let connecting = true;
  const logger: typeof boltLog = {
    ...boltLog,
    warn: (...msg) => {
      if (!connecting) boltLog.warn(...msg);
    },
  };
  // Replies are interactive: a few quick retries with a timeout each, not the client's default
  // of minutes per attempt (a slow Slack would hold every handler slot meanwhile).
  const clientOptions = { timeout: 5000, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 }, ...(slackApiUrl ? { slackApiUrl } : {}) };
  const clock = opts.clock ?? systemClock;
  // The web side only produces jobs; workers (this process or others) consume them.
  const queue = outboxQueue(redis, config.workers.queuePrefix);
  const outbox = new BullOutboxScheduler(queue, clock, log);
  // Installed through OAuth: workspaces come and go through Bolt's installation store, kept in
  // Postgres. (Its hooks run once requests arrive, after `lookups` below exists.)
  const store = oauth
    ? new PostgresInstallationStore({
        db,
        keys: oauth.tokenKeys,
        log,
        clock,
        hooks: {
          reinstalled: resumeWorkspaceIn,
          installed: async (teamId, resumed) => {
            lookups.forget(teamId);
            await outbox.schedule(resumed);
          },
          uninstall: async (teamId) => {
            await uninstallWorkspace(db, { teamId, reason: 'app_uninstalled', now: clock.now() });
            lookups.forget(teamId);
          },
        },
      })
    : undefined;
  const publicBase = config.publicUrl ?? url;
  const authorizationUrl = authorizationUrlFor(slackApiUrl);
  const receiver = () =>
    new ExpressReceiver({
      signingSecret: signingSecretOf(config),
      // The edge (above, on the same path, before Bolt) has checked every request's signature
      // and timestamp already and refused the rest: checking again cost every ack a second HMAC.
      signatureVerification: false,
      app: web,
      logger,
      logLevel: LogLevel.INFO,
      ...(oauth && store
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            // The same scopes as the manifest's: what the features use.
            scopes: botScopes(surfaces),
            installationStore: store,
            redirectUri: `${publicBase}${REDIRECT_PATH}`,
            installerOptions: {
              installPath: INSTALL_PATH,
              redirectUriPath: REDIRECT_PATH,
              // Straight on to Slack: Bolt's "Add to Slack" page is English only, and adds a click.
              directInstall: true,
              callbackOptions: installPages(log, INSTALL_PATH),
              // oauth.v2.access and the auth.test after it go where the Web API is (a fake's, in tests).
              clientOptions,
              ...(authorizationUrl ? { authorizationUrl } : {}),
            },
          }
        : {}),
    });
  const app =
    config.slack.kind === 'socket'
      ? new App({ token: config.slack.botToken, appToken: config.slack.appToken, socketMode: true, logger, logLevel: LogLevel.INFO, clientOptions, deferInitialization: true })
      : new App({
          // Installed through OAuth there is no token of the app's own: Bolt authorizes each request from the store.
          ...(oauth ? {} : { token: botTokenOf(config) }),
          receiver: receiver(),
          logger,
          logLevel: LogLevel.INFO,
          clientOptions,
          deferInitialization: true,
        });
  const metrics = opts.metrics ?? new Metrics();
  watch(metrics, { db, intakeDb: opts.intakeDb, queue, clock });
  web.get('/metrics', metricsRoute(metrics, config.metrics.token));
  // Each request answers with its own workspace's client (the one token, or the installation's).
  const clients = slackClients(store ?? tokenSourceFor(config, db), { ...clientOptions, logger });
  const deps = requestDeps({ db, clock, log, metrics, clients, outbox, surfaces, publicUrl: publicBase });
  const lookups = deps.lookups;
  // REQUESTS_RUN_IN=worker: this process records and acknowledges; the workers run (startRequestRunner).
  const part = config.requests.runIn === 'worker' ? 'receiver' : 'web';
  const inbox = new Inbox({ db: opts.intakeDb ?? db, log, config: config.requests, execute: executor(surfaces, deps), part });
  healthRoutes(web, { db, redis, inbox, slack: () => slackConnected });
  featureRoutes(web, surfaces.routes, deps);
  registerListeners(app, surfaces, deps, inbox);
  let workspace: LocalWorkspace | undefined;
  let pageRoutes: WorkspaceRoutes | undefined;
  if (localMode && fake) {
    ({ workspace, routes: pageRoutes } = localMode.mountWorkspace(web, { fake, secret: signingSecretOf(config), registrations }));
  }
  app.error(async (err) => {
    log.error({ err: { name: err.name, code: (err as { code?: string }).code } }, 'bolt error');
  });
  try {
    // auth.test: a refused token stops start-up; an unreachable Slack is waited for (not ready meanwhile).
    // Installed through OAuth there is no token to test: ready once the installations can be
    // read and Slack answers api.test (which takes none).
    const where = slackHost(slackApiUrl);
    const attempt = oauth
      ? async () => {
          const installed = await countInstallations(db);
          await app.init();
          await app.client.api.test();
          log.info({ installed }, 'workspaces installed');
        }
      : () => app.init();
    await connectToSlack({ attempt, where, say: opts.notice ?? ((line) => log.warn(line)) })
      .catch((err: unknown) => {
        throw err instanceof SlackRefused ? new InfraError(err.message) : err;
      })
      .finally(() => (connecting = false));
    if (config.slack.kind === 'socket') {
      await app.start().catch((err: unknown) => {
        const failure = classifySlackFailure(err, where, 'SLACK_APP_TOKEN');
        throw failure?.kind === 'refused' ? new InfraError(failure.line) : err;
      });
    }
    slackConnected = true;
    inbox.start();
  } catch (err) {
    server.closeAllConnections();
    server.close();
    await queue.close();
    throw err;
  }

  return {
    url,
    fake,
    workspace,
    deps,
    bolt: app,
    inbox,
    registrations,
    metrics,
    async stop() {
      if (config.slack.kind === 'socket') await app.stop();
      pageRoutes?.close();
      // No new connections; requests already received are answered (their acks go out, and
      // the work after each ack finishes) before the process lets go of its pools.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inbox.close();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
      await closed;
      await queue.close();
    },
  };
}
