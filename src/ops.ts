import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import express from 'express';
import type { Db } from './db/database.js';
import { poolHealth } from './db/connect.js';
import type { Clock } from './domain/clock.js';
import type { Metrics } from './lib/metrics.js';
import type { Logger } from './logger.js';
import { outboxDepth } from './platform/outbox/outbox.repo.js';

/**
 * What operators look at: liveness, and the metrics Prometheus scrapes. The web server serves
 * both on its own port; a worker-only process serves them on METRICS_PORT.
 */

/** Stuck this long, and the process is not worth keeping: liveness fails so it gets restarted. */
export const POOL_DEAD_MS = 60_000;
/** A scrape's database and Redis reads each get this long (the Metrics class drops them past it). */
const SCRAPE_QUERY_MS = 800;

/** Liveness: the process answers and its pool has not been stuck for a minute. */
export function healthz(db: Db): express.RequestHandler {
  return (_req, res) => {
    const stuckMs = poolHealth(db)?.stuckMs ?? 0;
    res.status(stuckMs > POOL_DEAD_MS ? 503 : 200).json({ ok: stuckMs <= POOL_DEAD_MS });
  };
}

/** Tells the metrics where to read what is collected when Prometheus scrapes. */
export function watch(metrics: Metrics, o: { db: Db; intakeDb?: Db; queue: Queue; clock: Clock }): void {
  metrics.sources.outboxDepth ??= () => outboxDepth(o.db, o.clock.now(), SCRAPE_QUERY_MS);
  metrics.sources.queueJobs ??= () => o.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  metrics.sources.pools.set('main', () => poolHealth(o.db));
  if (o.intakeDb && o.intakeDb !== o.db) metrics.sources.pools.set('intake', () => poolHealth(o.intakeDb!));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set, only a scrape that sends
 * it as a bearer token is answered: the web port must be reachable by Slack, so /metrics is
 * public unless a proxy keeps it in, and the token keeps it private where none does.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): express.RequestHandler {
  return (req, res) => {
    if (token !== undefined && !sameSecret(req.get('authorization') ?? '', `Bearer ${token}`)) {
      res.status(401).set('www-authenticate', 'Bearer').end();
      return;
    }
    metrics.text().then(
      (text) => void res.set('content-type', metrics.contentType).send(text),
      () => void res.status(500).end(),
    );
  };
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/** A worker-only process's small HTTP listener: /healthz and /metrics, nothing else. */
export async function startOpsServer(o: { host: string | undefined; port: number; metrics: Metrics; token: string | undefined; db: Db; log: Logger }): Promise<OpsServer> {
  const web = express();
  web.disable('x-powered-by');
  web.get('/healthz', healthz(o.db));
  web.get('/metrics', metricsRoute(o.metrics, o.token));
  const server = http.createServer(web);
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const url = `http://${localAddress(o.host)}:${(server.address() as AddressInfo).port}`;
  o.log.info({ url }, 'metrics are served');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** How to reach a server listening on `host` from this machine: a wildcard address means loopback. */
export function localAddress(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
