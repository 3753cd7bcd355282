/**
 * `npm run faults`: runs the fault tests (tests/faults, also part of `npm test`), then prints
 * what each one injected and what came of it, and records the table in bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { FAULT_LOG, type FaultResult } from '../tests/helpers/fault-report.js';
import { runLine, writeSection } from './lib/report.js';

rmSync(FAULT_LOG, { force: true });
const run = spawnSync('npx', ['vitest', 'run', 'tests/faults'], { stdio: 'inherit' });
let rows: FaultResult[] = [];
try {
  rows = readFileSync(FAULT_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FaultResult);
} catch {
  // no test got as far as reporting
}
const recovered = (ms: number | null) => (ms === null ? 'never stopped answering' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const table = [
  '| fault | injected | requests | reminders | lost | duplicated | unanswered | back to normal |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.fault} | ${r.injected} | ${r.requests} | ${r.reminders} | ${r.lost} | ${r.duplicated} | ${r.unanswered} | ${recovered(r.recoveredMs)} |`),
].join('\n');
console.log(`\n${table}\n`);
const clean = rows.every((r) => r.lost === 0 && r.duplicated === 0 && r.unanswered === 0);
await writeSection(
  'Faults',
  `${runLine()}\n\`npm run faults\` (the tests in tests/faults; each also runs in \`npm test\` and fails on any loss). "Back to normal": from the end of the fault (Postgres restarted, lock released, connections reset, docket restarted) to the first request answered as usual; for SIGTERM, from the signal to the process exiting with everything answered.\n\n${table}\n\n${run.status === 0 && clean ? 'All fault tests passed: nothing lost, nothing twice, nothing unanswered.' : 'Some fault tests FAILED: see the table and the test output.'}`,
);
process.exit(run.status ?? 1);
