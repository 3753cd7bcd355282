import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Trx } from './database.js';

/**
 * Inside a transaction only the transaction is reachable. A query on the pool while this
 * request holds row locks waits for a free connection; enough such requests at once fill the
 * pool with transactions that each wait for another, and nothing ever frees one (seen: 12
 * concurrent reassigns wedged the bot for good). The pool refuses any connection asked for
 * from inside a transaction's callback, so the mistake fails at once, in tests, by name.
 */
const inTransaction = new AsyncLocalStorage<true>();

export class PoolUsedInTransaction extends Error {
  override name = 'PoolUsedInTransaction';
  constructor() {
    super('a query went to the pool from inside a transaction: pass the transaction down instead');
  }
}

/** Runs `fn` in one transaction: all of it commits, or none of it. The only way docket opens one. */
export function transaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned place
  return db.transaction().execute((trx) => inTransaction.run(true, () => fn(trx)));
}

/** Throws when called from inside a transaction's callback (the pool's connect() calls it). */
export function assertOutsideTransaction(): void {
  if (inTransaction.getStore()) throw new PoolUsedInTransaction();
}
