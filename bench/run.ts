/**
 * `npm run bench` runs every benchmark in bench/*.ts; `npm run bench -- lateness fanout` runs
 * the named ones, and any `--flag=value` after the names is passed to each. A benchmark
 * module exports a default (or `run`) function taking those arguments; a module that does
 * its work when imported is run by importing it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}

type BenchModule = { default?: unknown; run?: unknown };

for (const name of names.length ? names : available) {
  console.log(`\n=== ${name} ===`);
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as BenchModule;
  const fn = typeof mod.default === 'function' ? mod.default : typeof mod.run === 'function' ? mod.run : undefined;
  if (fn) await (fn as (flags: string[]) => Promise<unknown>)(flags);
}
process.exit(0);
