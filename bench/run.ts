/**
 * `npm run bench` runs every benchmark (bench/*.bench.ts); `npm run bench -- lateness fanout`
 * runs the named ones, and any `--flag=value` after the names is passed to each. A benchmark
 * module's default export runs it and records its results in bench/RESULTS.md.
 */
import { readdir } from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const available = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== ${name} ===`);
  const mod = (await import(new URL(`./${name}.bench.ts`, here).href)) as { default: (flags: string[]) => Promise<unknown> };
  await mod.default(flags);
}
process.exit(0);
