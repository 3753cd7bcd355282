import type { AuditEvent } from '../db/audit.table.js';
import type { CaseRow } from '../db/cases.table.js';
import type { CaseStatus, Outcome } from '../domain/case-status.js';
import { formatMoney, type MoneyKind } from '../domain/money.js';
import { Temporal, elapsed, todayIn } from '../domain/time.js';
import type { Messages } from '../i18n/index.js';
import { describeActionEvent } from './action-events.js';
import { esc, escClip, mention } from './mrkdwn.js';

/** An instant as wall time in the group's zone: 2019-09-22 07:24. */
export function formatInstant(at: Date, zone: string): string {
  const wall = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDateTime();
  return wall.toString({ smallestUnit: 'minute' }).replace('T', ' ');
}

/** The date (in `zone`) on which an instant falls. */
export function dateIn(at: Date, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

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

type Json = Record<string, any> | null;

/** One timeline entry as a line of mrkdwn. User text is escaped and shortened. */
export function describeEvent(e: AuditEvent, m: Messages, fieldLabel: (f: string) => string, zone = 'UTC'): string {
  const after = e.after as Json;
  const before = e.before as Json;
  const ev = m.event;
  switch (e.kind) {
    case 'case.opened':
      return ev['case.opened'];
    case 'case.edited':
      return ev['case.edited'](Object.keys(after ?? {}).map(fieldLabel).join(', '));
    case 'case.note':
      return `${ev['case.note']}: ${escClip(String(after?.text ?? ''), 300)}`;
    case 'case.plan':
      return ev['case.plan'](Number(after?.version));
    case 'case.status':
      return ev['case.status'](m.statusName(before?.status as CaseStatus), m.statusName(after?.status as CaseStatus));
    case 'case.supervision':
      return ev['case.supervision'](after?.supervisor_user_id ?? null);
    case 'case.closed':
      return ev['case.closed'](m.outcomeName(after?.outcome as Outcome)) + (after?.note ? `: ${escClip(String(after.note), 300)}` : '');
    case 'case.reopened':
      return ev['case.reopened'] + (after?.reason ? `: ${escClip(String(after.reason), 300)}` : '');
    case 'case.post_failed':
      return m.postFailed(String(after?.channel), esc(String(after?.error)));
    case 'money.added':
      return ev['money.added'](m.moneyKindName(after?.kind as MoneyKind), money(String(after?.amount), String(after?.currency), m));
    default:
      return describeActionEvent(e, m, zone) ?? ev.other(e.kind);
  }
}

export function eventLine(e: AuditEvent, zone: string, m: Messages, fieldLabel: (f: string) => string): string {
  // The bot's own entries (escalations, failed deliveries) carry a name, not a Slack user id.
  const who = mention(e.actor_user_id);
  return `${formatInstant(e.at, zone)} ${who} ${describeEvent(e, m, fieldLabel, zone)}`;
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
