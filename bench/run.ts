/**
 * `npm run bench` runs every benchmark; `npm run bench -- ack-latency` runs one. Each
 * benchmark is a module in this folder whose default export runs it and records its results.
 */
import { readdir } from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const available = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== ${name} ===`);
  const mod = (await import(new URL(`./${name}.bench.ts`, here).href)) as { default: () => Promise<void> };
  await mod.default();
}
process.exit(0);
