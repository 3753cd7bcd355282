import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/**
 * A throw-away redis-server on a free port, for tests that must wipe Redis (the shared server
 * on 6379 serves other people's test runs and must never be flushed) and for benchmarks that
 * measure its memory. Configured as production Redis must be: no eviction.
 */
export class PrivateRedis {
  private constructor(
    private readonly proc: ChildProcess,
    readonly url: string,
    readonly client: Redis,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const port = await freePort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    const end = Date.now() + 10_000;
    for (;;) {
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (err) {
        if (Date.now() > end) throw err;
        client.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return new PrivateRedis(proc, url, client);
  }

  /** The redis-server's process id (the benchmarks read its CPU time). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Redis's own count of the bytes it uses (`used_memory`). */
  async usedMemory(): Promise<number> {
    const info = await this.client.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
