import { parseRef } from '../domain/case-ref.js';
import { InvalidInput } from '../errors.js';
import { isUserId } from './ids.js';

/**
 * Values that come back in a form submission or a button click. Slack's UI offers only valid
 * ones, but the payload is shaped by whoever sends it: each is checked like typed input, so
 * a forged "U1> <!channel" supervisor or a unit id of "1e3" goes no further.
 */

/** A users_select value: a Slack user id, or nothing picked. */
export function pickedUser(v: string | null): string | null {
  if (v === null || v === '') return null;
  if (!isUserId(v)) throw new InvalidInput((m) => m.badChoice);
  return v;
}

/** An option's value that is a row id (a unit, a case) as docket wrote it, or nothing picked. */
export function pickedRowId(v: string | null): number | null {
  if (v === null || v === '') return null;
  const id = /^[1-9]\d{0,9}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(id) || id > 2 ** 31 - 1) throw new InvalidInput((m) => m.badChoice);
  return id;
}

export const pickedUnitId = pickedRowId;

/** A case reference carried by a button or remembered by a form. */
export function carriedRef(v: string | undefined): string {
  const ref = v === undefined ? undefined : parseRef(v);
  if (!ref) throw new InvalidInput((m) => m.staleButton);
  return ref;
}

/** An item's row id carried by a button (docket writes it; people see and type the item's number instead). */
export function carriedItemId(v: string | undefined): number {
  const id = v !== undefined && /^[1-9]\d{0,14}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(id)) throw new InvalidInput((m) => m.staleButton);
  return id;
}
