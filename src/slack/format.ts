import type { CaseRow } from '../db/cases.table.js';
import { formatMoney } from '../domain/money.js';
import { dateIn, elapsed, todayIn } from '../domain/time.js';
import type { Messages } from '../i18n/index.js';
import { esc } from './mrkdwn.js';

/**
 * How long the subject has been (or was) at large: from the flight until custody or
 * closing, or until today while still at large.
 */
export function atLargeFor(c: CaseRow, zone: string, now: Date, m: Messages): string | null {
  if (!c.at_large_since) return null;
  // Custody ends it (a closed case ends at custody, or at closing); a subject who got away
  // again (back to open, located or on hold) is still counting.
  const end = c.status === 'in_custody' ? c.in_custody_at : c.status === 'closed' ? (c.in_custody_at ?? c.closed_at) : null;
  const until = end ? dateIn(end, zone) : todayIn(zone, now);
  if (until < c.at_large_since) return null;
  return m.elapsed(elapsed(c.at_large_since, until));
}

export function money(amount: string, currency: string, m: Messages): string {
  return formatMoney(amount, currency, m.locale === 'zh' ? 'zh-CN' : 'en-US');
}

export function fieldLabel(m: Messages): (f: string) => string {
  const labels: Record<string, string> = {
    title: m.fieldTitle,
    subject: m.fieldSubject,
    category: m.fieldCategory,
    origin_unit_id: m.fieldUnit,
    opened_on: m.fieldOpened,
    at_large_since: m.fieldSince,
    last_location: m.fieldLocation,
    supervisor_user_id: m.fieldSupervisor,
  };
  return (f) => (Object.hasOwn(labels, f) ? labels[f]! : f);
}

/** Where a subject was found, escaped for mrkdwn ("Yubei, Chongqing"; 重庆 渝北); null when not given. */
export function placeText(p: { region?: string | null; city?: string | null }, m: Messages): string | null {
  if (!p.region && !p.city) return null;
  return m.placeName(p.region ? esc(p.region) : null, p.city ? esc(p.city) : null);
}
