import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis.js';

const run = promisify(execFile);

/**
 * A throw-away PostgreSQL server of the test's own, on a free port, that the test may stop,
 * kill and start again (the shared server on 5432 serves every other test and must stay up).
 * Runs as the `postgres` user when the tests run as root, since initdb refuses root.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const bin = (await run('pg_config', ['--bindir'])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'docket-pg-'));
    const pg = new PrivatePostgres(bin, dir, await freePort());
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const uid = Number(stdout.trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      chownSync(dir, uid, gid);
    }
    await pg.as('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await pg.up();
    return pg;
  }

  private as(tool: string, args: string[]) {
    const cmd = join(this.bin, tool);
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it takes connections. */
  async up(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await this.as('pg_ctl', ['-D', this.dir, '-o', opts, '-l', join(this.dir, 'server.log'), '-w', '-t', '30', 'start']);
  }

  /**
   * Stops the server. 'fast' is an orderly restart or failover (sessions are terminated);
   * 'immediate' is a crash (no goodbye to anyone).
   */
  async down(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.as('pg_ctl', ['-D', this.dir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.down('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
