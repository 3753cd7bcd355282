import os from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';

/** How results are summarised and recorded: percentiles, the machine, bench/RESULTS.md. */
export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

export const ms = (v: number) => `${Math.round(v)} ms`;
export const fmt = (v: number) => `${v.toFixed(1)} ms`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** "Run <date> UTC on <machine>." */
export const runLine = () => `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`;

/** Replaces the section under `## heading` in bench/RESULTS.md (or appends it), leaving the others alone. */
export async function writeSection(heading: string, body: string): Promise<void> {
  const file = new URL('../RESULTS.md', import.meta.url);
  const current = await readFile(file, 'utf8').catch(() => '# Benchmark results\n\nEach section is rewritten by `npm run bench -- <name>`; ratios compare docket with a floor measured in the same process and run.\n');
  const marker = `## ${heading}`;
  const start = current.indexOf(marker);
  const section = `${marker}\n\n${body.trim()}\n`;
  if (start < 0) return writeFile(file, `${current.trimEnd()}\n\n${section}`);
  const next = current.indexOf('\n## ', start + marker.length);
  await writeFile(file, `${current.slice(0, start)}${section}${next < 0 ? '' : `\n${current.slice(next + 1)}`}`);
}
