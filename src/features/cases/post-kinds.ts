import { sql } from 'kysely';
import { record } from '../timeline.js';
import { onCase } from './timeline.js';
import type { CaseRow } from '../../db/cases.table.js';
import type { Executor } from '../../db/database.js';
import type { Group } from '../../db/groups.table.js';
import { isAnnounced, type Outcome } from '../../domain/case-status.js';
import { outboxKind, type OutboxKind, type OutboxKinds } from '../../platform/outbox/kinds.js';
import { outboxColumns, splitOutbox } from '../../platform/outbox/outbox.repo.js';
import type { NewOutboxRow, OutboxRow } from '../../platform/outbox/outbox.table.js';
import { casePost } from '../../slack/blocks/case-card.js';
import { atLargeFor } from '../../slack/format.js';
import { esc, escClip } from '../../slack/mrkdwn.js';
import { SYSTEM_ACTOR } from '../items/reminder-kinds.js';

/**
 * What a case tells its channels: the group channel hears of every opening and close, the
 * announcement channel of returns and surrenders only, without the title or subject (names
 * stay inside the group). They go through the outbox like every post: after the change
 * commits, paced per channel, in order, exactly once, and rendered when they go out.
 */
export const CASE_SUBJECT = 'case';
export const CASE_POSTS = { opened: 'case.opened', closed: 'case.closed', announced: 'case.announced' } as const;

interface CaseSubject {
  case: CaseRow;
  groupName: string;
  zone: string;
}

/** What the row remembers of the change that asked for the post. */
interface PostPayload {
  actor: string;
  outcome?: Outcome;
  /** When the case was closed (the post tells of that close, whatever happened since). */
  closedAt?: string;
}

async function lockCasePost(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: CaseSubject } | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select c.*, ${outboxColumns('o')}, g.name as x_group_name, g.time_zone as x_zone
      from cases c
      join outbox o on o.subject_type = ${CASE_SUBJECT} and o.subject_id = c.id
      join groups g on g.id = c.group_id
     where o.id = ${id}
       for share of c for update of o`.execute(trx);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox, rest } = splitOutbox(found);
  const { x_group_name, x_zone, ...c } = rest;
  return { row: outbox, subject: { case: c as unknown as CaseRow, groupName: String(x_group_name), zone: String(x_zone) } };
}

const payloadOf = (row: OutboxRow) => (row.payload ?? {}) as PostPayload;
const shortTitle = (c: CaseRow) => escClip(c.title, 200);

/** The case as it was closed by the change that asked for this post. */
function asClosed(c: CaseRow, p: PostPayload): CaseRow {
  return { ...c, status: 'closed', outcome: p.outcome ?? c.outcome, closed_at: p.closedAt ? new Date(p.closedAt) : c.closed_at };
}

const base = {
  lock: lockCasePost,
  wanted: () => true,
  /** Slack refused the post for good (docket not in the channel, channel archived): the timeline says so. */
  async failed(trx: Executor, s: CaseSubject, row: OutboxRow, code: string) {
    await record(trx, onCase(s.case, SYSTEM_ACTOR), { kind: 'case.post_failed', before: null, after: { channel: row.channel, error: code } });
  },
};

const opened: OutboxKind<CaseSubject> = {
  ...base,
  render: (_trx, s, row, { m }) => casePost(m.caseOpenedPost(s.case.ref, shortTitle(s.case), payloadOf(row).actor), s.case.ref, m),
};

const closed: OutboxKind<CaseSubject> = {
  ...base,
  render: (_trx, s, row, { m }) => {
    const p = payloadOf(row);
    return casePost(m.caseClosedPost(s.case.ref, shortTitle(s.case), p.outcome ?? s.case.outcome!, p.actor), s.case.ref, m);
  },
};

const announced: OutboxKind<CaseSubject> = {
  ...base,
  render: (_trx, s, row, { m, now }) => {
    const c = asClosed(s.case, payloadOf(row));
    return { text: m.announcePost(c.ref, c.outcome!, esc(s.groupName), atLargeFor(c, s.zone, now, m)) };
  },
};

export const casePostKinds: OutboxKinds = {
  [CASE_POSTS.opened]: outboxKind(opened),
  [CASE_POSTS.closed]: outboxKind(closed),
  [CASE_POSTS.announced]: outboxKind(announced),
};

/** Due at once (`now`, the app's clock): the post goes out as soon as the channel's turn comes. */
function postRow(group: Group, c: CaseRow, o: { kind: string; channel: string; key: string; payload: PostPayload; now: Date }): NewOutboxRow {
  return { team_id: c.team_id, group_id: group.id, kind: o.kind, subject_type: CASE_SUBJECT, subject_id: c.id, dedupe_key: `${CASE_SUBJECT}:${c.id}:${o.key}`, fire_at: o.now, channel: o.channel, payload: o.payload };
}

/** The group channel's "case opened" post. */
export function openedPostRow(group: Group, c: CaseRow, actor: string, now: Date): NewOutboxRow {
  return postRow(group, c, { kind: CASE_POSTS.opened, channel: group.channel_id, key: 'opened', payload: { actor }, now });
}

/** The group channel's "case closed" post, and for a return or surrender the announcement. */
export function closedPostRows(group: Group, c: CaseRow, actor: string, now: Date): NewOutboxRow[] {
  const closedAt = c.closed_at!.toISOString();
  const payload: PostPayload = { actor, outcome: c.outcome!, closedAt };
  const rows = [postRow(group, c, { kind: CASE_POSTS.closed, channel: group.channel_id, key: `closed:${closedAt}`, payload, now })];
  if (group.announce_channel_id && isAnnounced(c.outcome!)) {
    rows.push(postRow(group, c, { kind: CASE_POSTS.announced, channel: group.announce_channel_id, key: `announced:${closedAt}`, payload, now }));
  }
  return rows;
}
