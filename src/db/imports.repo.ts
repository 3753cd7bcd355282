import type { Executor } from './database.js';

/** Dry runs nobody confirmed within their day: their rows (subjects' names) are not kept longer. */
export async function forgetExpiredImports(db: Executor, now: Date): Promise<number> {
  const res = await db.deleteFrom('case_imports').where('state', '=', 'pending').where('expires_at', '<', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
