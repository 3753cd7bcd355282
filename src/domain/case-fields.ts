import { InvalidInput, type Render } from '../errors.js';
import type { Messages } from '../i18n/en.js';
import { longerThan } from './input-limits.js';

/**
 * Length limits, in characters, chosen to fit Slack's surfaces: a title must fit a header
 * block (150), long texts a section block (3000) with room for a label.
 */
export const LIMITS = {
  title: 150,
  subject: 200,
  category: 100,
  location: 200,
  plan: 2900,
  note: 2900,
  /** A closing note travels in the confirmation button's value, which Slack caps at 2000. */
  closeNote: 500,
  name: 80,
  /** A region (province, state, country) or a city. */
  place: 60,
  moneyNote: 500,
} as const;

/** Trims; an empty value becomes null (an optional field left blank). */
export function optionalText(value: string | null | undefined, label: (m: Messages) => string, max: number, usage?: Render): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  if ([...v].length > max) throw new InvalidInput((m) => m.tooLong(label(m), max), usage);
  return v;
}

export function requiredText(value: string | null | undefined, label: (m: Messages) => string, max: number, usage?: Render): string {
  const v = optionalText(value, label, max, usage);
  if (v === null) throw new InvalidInput((m) => m.emptyField(label(m)), usage);
  return v;
}

/**
 * Refuses a value longer than `max` before anything parses it, without quoting it back: the
 * reply stays short however much was sent.
 */
export function capped(value: string, label: (m: Messages) => string, max: number, usage?: Render): string {
  if (longerThan(value, max)) throw new InvalidInput((m) => m.tooLong(label(m), max), usage);
  return value;
}
