import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startDocket } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { InfraError, openInfra } from '../../src/services/infra.js';

/**
 * Zero-setup start-up: what happens when no Postgres (or Redis) answers. Port 9 stands for
 * a server that is not running (connections are refused).
 */
const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'docket-pglite-'));
  dirs.push(d);
  return path.join(d, 'pglite');
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const nothingThere = (env: Record<string, string> = {}): Config => ({ ...loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }), databaseUrl: 'postgres://postgres@127.0.0.1:9/docket' });

describe('start-up without a database server', () => {
  it('embeds PGlite in local mode when DATABASE_URL is not set, migrates it, and docket works on it', { timeout: 60_000 }, async () => {
    const config = nothingThere();
    expect(config.databaseUrlGiven).toBe(false);
    const notices: string[] = [];
    const dir = scratch();
    const infra = await openInfra(config, { embeddedDir: dir, notice: (l) => notices.push(l) });
    expect(notices).toEqual([`PostgreSQL is not running at 127.0.0.1:9: using the embedded PGlite database in ${dir} (start PostgreSQL, or set DATABASE_URL, to use a server).`]);
    expect(existsSync(`${dir}.pid`)).toBe(true);
    const docket = await startDocket({ config, log: pino({ level: 'silent' }), db: infra.db, redis: infra.redis });
    try {
      const ws = docket.workspace!;
      const say = async (text: string) => {
        const r = await ws.command('U0ALICE', 'C0GROUP', text, { wait: true });
        if (!r.ok) throw new Error(r.error);
        return String(r.reply?.text ?? '');
      };
      expect(await say('/docket setup Ganzi Office prefix:GZ tz:Asia/Shanghai')).toContain('is set up');
      const opened = await say('/case open Zhong, fled 1997');
      expect(opened).toMatch(/Opened \*GZ-\d{4}-001\*/);
      const ref = /GZ-\d{4}-001/.exec(opened)![0];
      expect(await say(`/case money ${ref} recovered 70,000 2020-05-25`)).toContain('recovered CN¥70,000.00');
      expect(await say(`/case close ${ref} returned`)).toContain('Close');
    } finally {
      await docket.stop();
      await infra.close();
    }
    expect(existsSync(`${dir}.pid`)).toBe(false);
  });

  it('never falls back when DATABASE_URL is set: it names what is missing, one line per service', async () => {
    const config = nothingThere({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/docket', REDIS_URL: 'redis://127.0.0.1:9' });
    const err = await openInfra(config, { embeddedDir: scratch() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect((err as Error).message.split('\n')).toEqual([
      expect.stringMatching(/^PostgreSQL is not reachable at 127\.0\.0\.1:9\. Start it with: pg_ctlcluster .* \(or set DATABASE_URL\)$/),
      expect.stringMatching(/^Redis is not reachable at 127\.0\.0\.1:9\. Start it with: redis-server .* \(or set REDIS_URL\)$/),
    ]);
  });

  it('refuses an embedded database folder another running docket holds', async () => {
    const dir = scratch();
    writeFileSync(`${dir}.pid`, String(process.ppid));
    const err = await openInfra(nothingThere(), { embeddedDir: dir }).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`Another docket (pid ${process.ppid}) is using the embedded database in ${dir}`);
  });
});
