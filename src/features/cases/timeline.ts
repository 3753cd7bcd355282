import type { CaseRow } from '../../db/cases.table.js';
import type { CaseStatus, Outcome } from '../../domain/case-status.js';
import type { MoneyKind } from '../../domain/money.js';
import { esc, escClip } from '../../lib/text.js';
import type { Describers } from '../../platform/timeline/timeline.js';
import { fieldLabel, money, placeText } from '../../slack/format.js';
import type { Messages } from '../../i18n/index.js';

type Fields = Partial<Record<string, string | number | null>>;
/** Where the subject was found, when given (entries from before places were recorded have none). */
type Found = { region?: string; city?: string };

/** What the case ledger records, kind by kind. */
export type CaseEvents = {
  'case.opened': { before: null; after: Fields & { ref: string; plan: string | null; supervisor_user_id: string | null } };
  'case.edited': { before: Fields; after: Fields };
  'case.note': { before: null; after: { text: string } };
  'case.plan': { before: { plan: string | null; version: number }; after: { plan: string; version: number } };
  'case.status': { before: { status: CaseStatus }; after: { status: CaseStatus; at: string } & Found };
  'case.supervision': { before: { supervisor_user_id: string | null }; after: { supervisor_user_id: string | null } };
  /** `cancelled_items`: the open items cancelled with the case (absent in entries from before it was recorded). */
  'case.closed': { before: { status: CaseStatus }; after: { status: 'closed'; outcome: Outcome; note: string | null; at: string; cancelled_items?: number[] } & Found };
  'case.reopened': { before: { status: 'closed'; outcome: Outcome | null; closed_at: string | undefined }; after: { status: 'open'; reason: string | null } };
  /** Slack refused a post about the case for good (docket not in the channel, channel archived). */
  'case.post_failed': { before: null; after: { channel: string; error: string } };
  /** `correction`: the entry corrects an earlier one (absent: an ordinary entry). */
  'money.added': { before: null; after: { id: number; kind: MoneyKind; amount: string; currency: string; occurred_on: string; note: string | null; correction?: boolean } };
  /** A CSV file brought into the ledger (the group's log): how many cases, which references they got. */
  'cases.imported': { before: null; after: { count: number; filename: string | null; content_hash: string; refs: string[] } };
};

export const caseTimeline: Describers<CaseEvents> = {
  'case.opened': (_e, { m }) => m.event['case.opened'],
  'case.edited': ({ after }, { m }) => m.event['case.edited'](m.list(Object.keys(after).map(fieldLabel(m)))),
  'case.note': ({ after }, { m }) => m.detail(m.event['case.note'], escClip(after.text, 300)),
  'case.plan': ({ after }, { m }) => m.event['case.plan'](after.version),
  'case.status': ({ before, after }, { m }) => m.event['case.status'](m.statusName(before.status), m.statusName(after.status)) + found(after, m),
  'case.supervision': ({ after }, { m }) => m.event['case.supervision'](after.supervisor_user_id),
  'case.closed': ({ after }, { m }) =>
    withNote(m.event['case.closed'](m.outcomeName(after.outcome)) + found(after, m), after.note, m) + (after.cancelled_items?.length ? m.aside(m.closedItems(after.cancelled_items.length)) : ''),
  'case.reopened': ({ after }, { m }) => withNote(m.event['case.reopened'], after.reason, m),
  'case.post_failed': ({ after }, { m }) => m.postFailed(after.channel, esc(after.error)),
  'cases.imported': ({ after }, { m }) => m.event['cases.imported'](after.count, after.filename ? esc(after.filename) : null),
  'money.added': ({ after }, { m }) =>
    withNote(m.event[after.correction ? 'money.corrected' : 'money.added'](m.moneyKindName(after.kind), money(after.amount, after.currency, m)), after.note, m),
};

/** What happened, and what was said with it when something was (escaped and shortened). */
function withNote(what: string, note: string | null, m: Messages): string {
  return note ? m.detail(what, escClip(note, 300)) : what;
}

function found(after: Found, m: Messages): string {
  const place = placeText(after, m);
  return place ? m.event.foundIn(place) : '';
}

/** Where a case's entry belongs. */
export const onCase = (c: Pick<CaseRow, 'team_id' | 'group_id' | 'id'>, actor: string, at?: Date) => ({ teamId: c.team_id, groupId: c.group_id, caseId: c.id, actor, ...(at ? { at } : {}) });
