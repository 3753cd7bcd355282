export const STATUSES = ['open', 'located', 'in_custody', 'on_hold', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const OUTCOMES = ['returned', 'surrendered', 'deceased', 'withdrawn', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Statuses a user may set with `/case status`; closing and reopening have their own commands. */
export const SETTABLE_STATUSES = ['open', 'located', 'in_custody', 'on_hold'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/**
 * The lifecycle: open → located → in custody → closed, with on hold as a side track.
 * Moving back is allowed where it happens in practice (a lead that went cold, a subject
 * who slipped away again); `closed` is reached only through `close` and left only
 * through `reopen`.
 */
const transitions: Record<CaseStatus, readonly CaseStatus[]> = {
  // (`reopen` is the only way out of closed: it clears the outcome as well.)
  open: ['located', 'in_custody', 'on_hold', 'closed'],
  located: ['open', 'in_custody', 'on_hold', 'closed'],
  in_custody: ['open', 'located', 'closed'],
  on_hold: ['open', 'located', 'closed'],
  closed: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return transitions[from].includes(to);
}

/** Returns and surrenders are announced: they are the results a group reports upward. */
export function isAnnounced(outcome: Outcome): boolean {
  return outcome === 'returned' || outcome === 'surrendered';
}

/** Accepts the words people type: "in custody", "in-custody", "custody", "hold". */
// A Map, so a typed "constructor" or "__proto__" is simply not a status.
const statusWords = new Map<string, SettableStatus>([
  ['open', 'open'],
  ['located', 'located'],
  ['in_custody', 'in_custody'],
  ['custody', 'in_custody'],
  ['caught', 'in_custody'],
  ['on_hold', 'on_hold'],
  ['hold', 'on_hold'],
]);

export function parseStatusWord(word: string): SettableStatus | undefined {
  return statusWords.get(word.toLowerCase().replace(/[\s-]+/g, '_'));
}

export function parseOutcomeWord(word: string): Outcome | undefined {
  const w = word.toLowerCase();
  return (OUTCOMES as readonly string[]).includes(w) ? (w as Outcome) : undefined;
}
