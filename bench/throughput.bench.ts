/**
 * Sustained delivery: n reminders due at the same moment, each to a channel of its own, so
 * that pacing never holds one back and the run measures how many deliveries per second one
 * worker process sustains through Postgres, Redis and the fake Slack, all on this machine.
 * Also the CPU time per delivery of each of them (see lib/cpu.ts): where the time goes.
 *
 *   npm run bench -- throughput [--n=10000] [--runs=2] [--batches=50,1] [--concurrency=100] [--pool=20]
 */
import { flag } from './lib/env.js';
import { machine, ms, runLine, writeSection } from './lib/report.js';
import { run, type Result } from './fanout.bench.js';

const TARGET = 1500;

export default async function throughput(flags: string[]): Promise<Result[]> {
  const n = Number(flag(flags, 'n', '10000'));
  const runs = Number(flag(flags, 'runs', '2'));
  const common = { workers: 1, concurrency: Number(flag(flags, 'concurrency', '100')), pool: Number(flag(flags, 'pool', '20')) };
  // Each run alternates: batched (OUTBOX_BATCH_MAX=batch) and each delivery on its own (1), the floor of this change.
  const batches = flag(flags, 'batches', '50,1').split(',').map(Number);
  console.log(`machine: ${machine()}`);
  const results: Result[] = [];
  for (let i = 0; i < runs; i++) for (const batch of batches) results.push(await run({ n, channelCount: n, ...common, batch, interval: 1050 }));
  const row = (r: Result) =>
    `| ${r.n} | ${r.batch} | ${ms(r.total)} | **${Math.round(r.rate)}/s** | ${r.lost} | ${r.duplicates} | ${r.cpu.worker.toFixed(2)} ms | ${r.cpu.backends.toFixed(2)} ms (${r.cpu.postgres.toFixed(2)} ms) | ${r.cpu.redis.toFixed(2)} ms | ${r.cpu.bench.toFixed(2)} ms | ${Math.round(r.cpu.busy * 100)} % | ${r.commitsPer.toFixed(2)} | ${r.load} |`;
  const met = (r: Result) => r.batch > 1 && r.lost === 0 && r.duplicates === 0 && r.rate >= TARGET;
  await writeSection(
    'Sustained delivery',
    [
      runLine(),
      `${n} reminders due at the same moment, one per channel (no pacing), ${common.workers} worker process (\`--role=worker\`), concurrency ${common.concurrency}, Postgres pool ${common.pool}, log level info; the fake Slack runs in the benchmark's process. Rate = first deliveries ÷ (last − first). CPU per delivery from /proc over the run (Postgres: the backends serving the benchmark's database; in brackets every \`postgres\` process on the machine, other people's work included).`,
      '',
      '| reminders | batch max | total | rate | lost | duplicates | CPU/delivery worker | Postgres backends (all Postgres) | Redis | benchmark + fake Slack | machine busy | Postgres commits per delivery | load average after |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map(row),
      '',
      `Target: ≥ ${TARGET} deliveries/s, none lost, none twice: ${results.filter((r) => r.batch > 1).every(met) ? 'met' : results.some(met) ? 'met in some runs' : 'NOT met'}.`,
    ].join('\n'),
  );
  return results;
}
