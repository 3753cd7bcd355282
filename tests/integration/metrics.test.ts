import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_POSTS } from '../../src/features/cases/post-kinds.js';
import { startDocket } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startOpsServer } from '../../src/ops.js';
import { Harness, useHarness } from '../helpers/harness.js';

/**
 * /metrics is what Prometheus scrapes: counters that move with the work docket does, gauges
 * read at scrape time, in the text format, with label values from closed sets only.
 */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus's text format (0.0.4): comments, blank lines, and `name{labels} value`; anything else fails the test. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    // Prometheus reads NaN and Inf in any case (Go's ParseFloat); prom-client writes an empty event-loop mean as "Nan".
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|nan|[+-]?inf)$/i.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let consumed = 0;
    for (let p = pair.exec(body); p; p = pair.exec(body)) {
      labels[p[1]!] = p[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed = pair.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`labels not in the text format: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named so whose labels include these (0 when there is none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; samples: Sample[]; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), samples: res.status === 200 ? parse(text) : [], text };
}

describe('/metrics', () => {
  const h = useHarness({ workers: true, group: true });

  it('is Prometheus text, with the process’s own metrics and the pools', async () => {
    const { status, type, samples } = await scrape(h.url);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(value(samples, 'docket_db_pool', { pool: 'main', state: 'max' })).toBe(10);
    expect(samples.some((s) => s.name === 'docket_db_pool' && s.labels.pool === 'intake' && s.labels.state === 'total')).toBe(true);
  });

  it('shows the counters moving after a command and its post: requests, acks, run time, depth, queue, delivery and lag', async () => {
    const before = (await scrape(h.url)).samples;
    const cmd = { surface: 'command', name: '/case', outcome: 'ok' };
    const opened = { kind: CASE_POSTS.opened };

    // The post waits while the workers are paused: the outbox and the queue show it.
    await h.workers!.worker.pause();
    const r = await h.command('/case open Zhang Wei');
    expect(r.text).toMatch(/^Opened/);
    const waiting = (await scrape(h.url)).samples;
    expect(value(waiting, 'docket_requests_total', cmd) - value(before, 'docket_requests_total', cmd)).toBe(1);
    expect(value(waiting, 'docket_ack_seconds_count', { surface: 'command' }) - value(before, 'docket_ack_seconds_count', { surface: 'command' })).toBe(1);
    expect(value(waiting, 'docket_request_seconds_count', { surface: 'command' }) - value(before, 'docket_request_seconds_count', { surface: 'command' })).toBe(1);
    expect(value(waiting, 'docket_outbox_depth', { ...opened, state: 'pending' })).toBe(1);
    expect(value(waiting, 'docket_queue_jobs', { state: 'delayed' }) + value(waiting, 'docket_queue_jobs', { state: 'waiting' })).toBeGreaterThanOrEqual(1);

    await h.workers!.worker.resume();
    await h.settled();
    const after = (await scrape(h.url)).samples;
    expect(value(after, 'docket_outbox_deliveries_total', { ...opened, outcome: 'sent' }) - value(before, 'docket_outbox_deliveries_total', { ...opened, outcome: 'sent' })).toBe(1);
    expect(value(after, 'docket_outbox_lag_seconds_count', opened) - value(before, 'docket_outbox_lag_seconds_count', opened)).toBe(1);
    expect(value(after, 'docket_outbox_depth', opened)).toBe(0);
    // Nothing failed meanwhile, and the scrape's own reads all answered in time.
    expect(value(after, 'docket_requests_total', { outcome: 'failed' })).toBe(0);
    expect(value(after, 'docket_scrape_errors_total')).toBe(0);
  });

  it('counts a refusal as refused, by the registered command name', async () => {
    const before = (await scrape(h.url)).samples;
    // Dana is an observer: she may read the ledger, not open cases.
    const r = await h.command('/case open Zhao Min', { user: 'U0DANA' });
    expect(r.text).not.toMatch(/^Opened/);
    const after = (await scrape(h.url)).samples;
    expect(value(after, 'docket_requests_total', { surface: 'command', name: '/case', outcome: 'refused' }) - value(before, 'docket_requests_total', { surface: 'command', name: '/case', outcome: 'refused' })).toBe(1);
  });

  it('labels carry registered names and outcomes, never what people typed or their ids', async () => {
    await h.command('/case open Secretname Qiu');
    await h.settled();
    const { text, samples } = await scrape(h.url);
    expect(text).not.toMatch(/Secretname|U0ALICE|C0GROUP|T0LOCAL/);
    const surfaces = new Set(samples.filter((s) => s.name === 'docket_requests_total').map((s) => s.labels.surface));
    expect([...surfaces].every((s) => ['command', 'button', 'form', 'event'].includes(s!))).toBe(true);
    expect(samples.filter((s) => s.name === 'docket_requests_total').every((s) => /^\/[a-z]+$/.test(s.labels.name!) || s.labels.surface !== 'command')).toBe(true);
  });

  it('log lines name the request or job and the team, never the person’s words', async () => {
    const from = h.logs.lines.length;
    const r = await h.command('/case open Hidden Person');
    await h.settled();
    const lines = h.logs.lines.slice(from);
    expect(lines.find((l) => l.msg === 'handled')).toMatchObject({ key: `cmd:${r.triggerId}`, team: 'T0LOCAL', kind: 'command', name: '/case' });
    expect(lines.find((l) => l.msg === 'delivery' && l.outcome === 'sent')).toMatchObject({ job: expect.any(String), team: 'T0LOCAL', kind: CASE_POSTS.opened });
    expect(h.logs.raw.slice(from).join('\n')).not.toContain('Hidden Person');
  });

  it('a worker-only process serves /metrics and /healthz on a port of its own', async () => {
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: h.docket.metrics, token: undefined, db: h.db, log: h.docket.deps.log });
    try {
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
      const { status, samples } = await scrape(ops.url);
      expect(status).toBe(200);
      expect(samples.some((s) => s.name === 'docket_outbox_deliveries_total')).toBe(true);
      expect((await fetch(`${ops.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    } finally {
      await ops.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789';
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ env: { METRICS_TOKEN: token, HOST: '127.0.0.1' } });
  });
  afterAll(() => h.stop());

  it('answers only a scrape that sends the token', async () => {
    expect((await scrape(h.url)).status).toBe(401);
    expect((await scrape(h.url, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const ok = await scrape(h.url, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.samples.length).toBeGreaterThan(0);
    // Liveness stays open: an orchestrator's probe sends no token.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('listens on HOST: the address it was given, and only that', async () => {
    expect(new URL(h.url).hostname).toBe('127.0.0.1');
    // 192.0.2.1 is documentation's address (TEST-NET-1), on no machine: listening on it fails, and says why.
    const config = loadConfig({ ...h.env, HOST: '192.0.2.1' });
    await expect(startDocket({ config, log: h.docket.deps.log, db: h.db, redis: h.redis })).rejects.toThrow(/^HOST 192\.0\.2\.1 is not an address of this machine/);
  });
});
