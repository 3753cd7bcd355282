import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { reportFault } from '../helpers/fault-report.js';
import { useHarness } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * A pool that cannot move (every connection waits on a lock another session holds): readiness
 * must say so, and new requests must be turned away at once instead of queueing without end.
 */
const h = useHarness({
  group: true,
  env: { DATABASE_POOL_MAX: '2', HANDLER_CONCURRENCY: '4', HANDLER_QUEUE_MAX: '2', DATABASE_ACQUIRE_TIMEOUT_MS: '30000' },
});

async function readyz() {
  const res = await fetch(`${h.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean>; load: { running: number; queued: number } } };
}

describe('a stuck pool', () => {
  it('while the pool is stuck: readiness fails, new requests are refused as busy, and all recover once it frees', async () => {
    await h.command('/case open Liu');
    // Another session holds the cases table: every handler that reads it waits, holding its connection.
    const blocker = new pg.Client({ connectionString: h.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table cases in access exclusive mode');
    try {
      const held = Array.from({ length: 6 }, () => h.command('/case show GZ-2026-001'));
      // Two handlers hold both connections, two wait for one, two wait in line.
      await until(async () => {
        const r = await readyz();
        return r.body.load.running === 4 && r.body.load.queued === 2;
      });
      const shed = await Promise.all(Array.from({ length: 3 }, () => h.command('/case list')));
      for (const r of shed) expect(JSON.parse(r.body).text).toContain('busy');
      const stuck = await until(async () => {
        const r = await readyz();
        return r.status === 503 && !r.body.checks.pool ? r : undefined;
      });
      expect(stuck.body.checks.requests).toBe(false);
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
      const freedAt = Date.now();
      await blocker.query('rollback');
      const answers = await Promise.all(held);
      expect(answers.every((r) => r.text.includes('GZ-2026-001'))).toBe(true);
      await until(async () => (await readyz()).status === 200);
      reportFault({
        fault: 'pool: stuck behind a lock',
        injected: 'cases table locked by another session; pool of 2, 4 running, 2 queued',
        requests: 9,
        reminders: 0,
        lost: 0,
        duplicated: 0,
        unanswered: answers.filter((r) => !r.text).length,
        recoveredMs: Date.now() - freedAt,
      });
    } finally {
      await blocker.end().catch(() => undefined);
    }
  });
});
