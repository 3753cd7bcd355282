import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Harness } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A real docket process (`src/main.ts --role=worker`, or web, or all) against the test's
 * database, queue prefix and fake Slack. Run with `node --import tsx` so the pid is docket
 * itself: a SIGKILL hits it, not a wrapper.
 */
export class ChildWorker extends EventEmitter {
  readonly lines: Record<string, any>[] = [];
  readonly exited: Promise<number | null>;
  private constructor(readonly proc: ChildProcess) {
    super();
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, any>;
        this.lines.push(entry);
        this.emit('line', entry);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${proc.pid}] ${d.toString()}`));
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  static start(h: Pick<Harness, 'env'>, env: Record<string, string> = {}, role: 'worker' | 'web' | 'all' = 'worker'): Promise<ChildWorker> {
    return ChildWorker.spawn({ ...h.env, LOG_LEVEL: 'info', JOB_LOCK_MS: '1000', CLAIM_LEASE_MS: '1000', ...env }, role);
  }

  static async spawn(env: Record<string, string>, role: 'worker' | 'web' | 'all'): Promise<ChildWorker> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--role=${role}`], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = new ChildWorker(proc);
    await w.waitFor((l) => l.msg === (role === 'web' ? 'docket is up' : 'workers are up'), 30_000);
    return w;
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /**
   * The first log line (past or future) that matches. The bound is generous: a worker child
   * on a loaded 2-core machine (the whole suite, two files at a time) has taken over 15 s to
   * get to a line it reaches in 2 s alone; the wait ends as soon as the line comes.
   */
  waitFor(match: (l: Record<string, any>) => boolean, timeoutMs = 45_000): Promise<Record<string, any>> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const on = (l: Record<string, any>) => {
        if (!match(l)) return;
        clearTimeout(timer);
        this.off('line', on);
        resolve(l);
      };
      const timer = setTimeout(() => {
        this.off('line', on);
        reject(new Error(`worker ${this.proc.pid}: no matching log line in time`));
      }, timeoutMs);
      this.on('line', on);
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.proc.kill(signal);
    return this.exited;
  }
}
