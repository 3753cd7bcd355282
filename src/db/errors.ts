/**
 * Whether an error means Postgres could not be reached or stopped answering, as opposed to a
 * fault in the query. 'unreachable': nothing ran (connection refused, no free connection in
 * time); 'unknown': the connection broke or timed out mid-query, so it may or may not have run.
 */
export type DbFault = 'unreachable' | 'unknown';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P03', '53300']);
const UNKNOWN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57014']);

export function dbFault(err: unknown): DbFault | undefined {
  const e = err as { code?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return undefined;
  const code = e.code ?? '';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (UNKNOWN_CODES.has(code) || code.startsWith('08')) return 'unknown';
  const msg = e.message ?? '';
  // pg reports these without a code.
  // A pool being shut down refuses before sending anything.
  if (/timeout exceeded when trying to connect|Cannot use a pool after calling end|driver has already been destroyed/i.test(msg)) return 'unreachable';
  if (/Connection terminated|not queryable|Query read timeout|connection timeout/i.test(msg)) return 'unknown';
  return undefined;
}
