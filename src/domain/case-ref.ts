/** Case references: `<PREFIX>-<YEAR>-<NNN>`, e.g. GZ-2021-003. */
const PREFIX = /^[A-Z][A-Z0-9]{0,9}$/;

export function isPrefix(p: string): boolean {
  return PREFIX.test(p);
}

export function formatRef(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(3, '0')}`;
}

/** Reads a reference as people type it ("gz-2021-3" too) and returns its canonical form. */
export function parseRef(text: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]{0,9})-(\d{4})-(\d{1,6})$/.exec(text.trim());
  if (!m) return undefined;
  const seq = Number(m[3]);
  if (seq < 1) return undefined;
  return formatRef(m[1]!.toUpperCase(), Number(m[2]), seq);
}

/** A prefix suggested from a group name: the initials of its Latin words ("Ganzi Zhou" → GZ). */
export function suggestPrefix(name: string): string {
  const initials = name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 4);
  return initials.length >= 2 ? initials : 'CASE';
}
