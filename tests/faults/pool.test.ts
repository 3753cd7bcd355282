import { describe, expect, it } from 'vitest';
import { PoolUsedInTransaction, transaction } from '../../src/db/transaction.js';
import { reportFault } from '../helpers/fault-report.js';
import { useHarness } from '../helpers/harness.js';

/**
 * The pool deadlock: a query on the pool while holding a transaction's row locks, enough of
 * them at once, and every connection waits for another forever (12 concurrent reassigns of one
 * item wedged the bot for good). Default sizes here, as in production: a pool of 10, 20
 * handlers at once.
 */
const h = useHarness({ group: true });

describe('the connection pool under pressure', () => {
  it('refuses a pool query made inside a transaction, at once and by name', async () => {
    await expect(transaction(h.db, async () => h.db.selectFrom('groups').select('id').execute())).rejects.toBeInstanceOf(PoolUsedInTransaction);
    // …while the transaction's own connection works, and the pool is left as it was.
    await expect(transaction(h.db, (trx) => trx.selectFrom('groups').select('id').execute())).resolves.toHaveLength(1);
  });

  it('50 concurrent reassigns of one item: every one applied and answered, and every later command too', async () => {
    await h.command('/case open Zhou');
    await h.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0BAO|bao> due:2030-01-01 17:00');
    const owners = ['<@U0BAO|bao>', '<@U0CARLOS|carlos>'];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.command(`/action reassign 1 ${owners[i % 2]}`)));
    const events = await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'action.reassigned').execute();
    const later = await Promise.all(['/case list', '/action list', '/case show GZ-2026-001'].map((c) => h.command(c)));
    reportFault({
      fault: 'pool: 50 concurrent writes to one row',
      injected: '50 × /action reassign of one item at once (pool of 10)',
      requests: 53,
      reminders: 0,
      lost: Math.max(0, 50 - events.length),
      duplicated: Math.max(0, events.length - 50),
      unanswered: [...results, ...later].filter((r) => !r.text).length,
      recoveredMs: null,
    });
    expect(results.filter((r) => !r.text.includes('has a new owner'))).toEqual([]);
    expect(events).toHaveLength(50);
    expect(later.every((r) => r.text.length > 0)).toBe(true);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });
});
