import http from 'node:http';

/** Load generation for the acknowledgement benchmark, and the fake Slack in its own process. */
export interface LoadResult {
  sent: number;
  errors: number;
  /** Milliseconds from sending to the complete HTTP answer, sorted. */
  latencies: number[];
}

/**
 * Open-loop load: one request every 1000/rate ms whether or not earlier ones have answered,
 * as Slack sends them; a slow server therefore queues work instead of being spared it.
 */
export async function steadyLoad(opts: { url: string; rate: number; seconds: number; request: (i: number) => { body: string; headers: Record<string, string> } }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(opts.url);
  const total = opts.rate * opts.seconds;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = opts.request(i);
    const t0 = performance.now();
    inflight.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode !== 200) errors++;
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
  return { sent: total, errors, latencies };
}

/** Starts the fake Slack in a child process (see fake-slack-process.ts); resolves with its URL. */
export async function spawnFakeSlack(token: string): Promise<{ url: string; stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../fake-slack-process.ts', import.meta.url).pathname, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    child.once('exit', (code) => reject(new Error(`fake Slack exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
