import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where fault tests leave one line each; `npm run faults` prints them as a table. */
export const FAULT_LOG = fileURLToPath(new URL('../artifacts/faults.jsonl', import.meta.url));

export interface FaultResult {
  fault: string;
  /** What was done to docket, in a few words. */
  injected: string;
  requests: number;
  reminders: number;
  lost: number;
  duplicated: number;
  unanswered: number;
  /** From the end of the fault to docket answering normally again; null when it never stopped answering. */
  recoveredMs: number | null;
}

export function reportFault(r: FaultResult): void {
  mkdirSync(fileURLToPath(new URL('../artifacts/', import.meta.url)), { recursive: true });
  appendFileSync(FAULT_LOG, `${JSON.stringify({ ...r, at: new Date().toISOString() })}\n`);
}
