import http from 'node:http';
import { spawn } from 'node:child_process';
import type { LoadSpec } from '../load-process.js';

/** Load generation for the acknowledgement benchmark, and the fake Slack in its own process. */
export interface LoadResult {
  sent: number;
  /** No answer, or an HTTP status other than 200. */
  errors: number;
  /** Answered 200 with a body: for a command, a refusal's text or an inline reply; for a form, errors. */
  withBody: number;
  /** Milliseconds from sending to the complete HTTP answer, sorted. */
  latencies: number[];
}

/**
 * Open-loop load: one request every 1000/rate ms whether or not earlier ones have answered,
 * as Slack sends them; a slow server therefore queues work instead of being spared it.
 */
export async function openLoop(opts: { url: string; rate: number; requests: { body: string; headers: Record<string, string> }[] }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(opts.url);
  const latencies: number[] = [];
  let errors = 0;
  let withBody = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (const [i, { body, headers }] of opts.requests.entries()) {
    const wait = started + (i * 1000) / opts.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let size = 0;
            res.on('data', (d: Buffer) => (size += d.length));
            res.on('end', () => {
              if (res.statusCode !== 200) errors++;
              else if (size > 0) withBody++;
              latencies.push(performance.now() - t0);
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent: opts.requests.length, errors, withBody, latencies };
}

/** A TypeScript file of bench/ run as a child process (tsx), its stdout collected. */
function child(file: string, args: string[], onLine: (line: string) => void): ReturnType<typeof spawn> {
  const proc = spawn(process.execPath, ['--import', 'tsx', new URL(`../${file}`, import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      onLine(out.slice(0, nl).trim());
      out = out.slice(nl + 1);
    }
  });
  return proc;
}

/** Runs one load in the load generator's own process (load-process.ts). */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    const proc = child('load-process.ts', [JSON.stringify(spec)], (line) => (result = JSON.parse(line) as LoadResult));
    proc.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** Starts the fake Slack in a child process (see fake-slack-process.ts); resolves with its URL. */
export function spawnFakeSlack(token: string): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const proc = child('fake-slack-process.ts', [token], (url) => resolve({ url, stop: () => proc.kill('SIGTERM') }));
    proc.once('exit', (code) => reject(new Error(`fake Slack exited with ${code}`)));
  });
}
