import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.js';
import type { Group } from '../../db/groups.table.js';
import { outboxKind, type OutboxKind, type OutboxKinds } from '../../platform/outbox/kinds.js';
import { insertOutbox, outboxColumns, splitOutbox } from '../../platform/outbox/outbox.repo.js';
import type { NewOutboxRow, OutboxRow } from '../../platform/outbox/outbox.table.js';
import type { ScheduleKind } from '../../platform/schedules/planner.js';
import { findSchedule, upsertSchedule } from '../../platform/schedules/schedules.repo.js';
import type { KnownBlock, MessageFile } from '../../slack/kit.js';
import type { Messages } from '../../i18n/index.js';
import { dateIn } from '../../domain/time.js';
import { digestChartFigures, renderDigestChart } from './chart.js';
import { sectionBlocks } from '../../slack/blocks/case-card.js';
import { digestLines, type DigestPeriod } from './content.js';

/**
 * The weekly digest is one schedule per group (a day and a local time in its zone, Monday
 * 09:00 by default) whose every occurrence writes one outbox row, keyed by group and
 * occurrence: a retried or repeated run, a restart or a second worker never posts it twice,
 * and many groups due at the same moment go out through the paced outbox. What it says is
 * read from the ledger when it goes out.
 */
export const DIGEST = 'digest.weekly';
export const digestScheduleKey = (groupId: number) => `${DIGEST}:${groupId}`;
const GROUP_SUBJECT = 'group';
const WEEK_MS = 7 * 86_400_000;

/** ISO weekday (1 = Monday … 7 = Sunday) and local time; the default is Monday 09:00. */
export interface DigestTime {
  day: number;
  time: string;
}
export const DEFAULT_DIGEST: DigestTime = { day: 1, time: '09:00' };

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The schedule's rule and first local start for a digest time (2026-01-05 was a Monday). */
function scheduleOf(t: DigestTime): { rule: string; start_local: string } {
  return { rule: `FREQ=WEEKLY;BYDAY=${BYDAY[t.day - 1]}`, start_local: `2026-01-${String(4 + t.day).padStart(2, '0')}T${t.time}` };
}

/** The group's digest time as its schedule has it, and whether it is on. */
export async function digestTimeOf(db: Executor, groupId: number): Promise<DigestTime & { enabled: boolean }> {
  const s = await findSchedule(db, digestScheduleKey(groupId));
  if (!s) return { ...DEFAULT_DIGEST, enabled: true };
  const day = BYDAY.indexOf(/BYDAY=([A-Z]{2})/.exec(s.rule)?.[1] ?? 'MO') + 1;
  return { day: day || 1, time: s.start_local.slice(11, 16), enabled: s.enabled };
}

/** Sets the group's digest (on, at `t`; or off, keeping its time), in its zone; from `now` on. */
export async function syncDigestSchedule(trx: Executor, group: Pick<Group, 'id' | 'team_id' | 'time_zone'>, now: Date, change?: { time?: DigestTime; enabled?: boolean }): Promise<void> {
  const current = await digestTimeOf(trx, group.id);
  const t = change?.time ?? current;
  await upsertSchedule(trx, { key: digestScheduleKey(group.id), kind: DIGEST, team_id: group.team_id, group_id: group.id, ...scheduleOf(t), time_zone: group.time_zone, enabled: change?.enabled ?? current.enabled }, now);
}

/** The digest of the week up to `to`, for the group channel. */
export function digestRow(group: Pick<Group, 'id' | 'team_id' | 'channel_id'>, to: Date, key: string, fireAt: Date): NewOutboxRow {
  const period = { from: new Date(to.getTime() - WEEK_MS).toISOString(), to: to.toISOString() };
  return { team_id: group.team_id, group_id: group.id, kind: DIGEST, subject_type: GROUP_SUBJECT, subject_id: group.id, dedupe_key: `${DIGEST}:${group.id}:${key}`, fire_at: fireAt, channel: group.channel_id, payload: period };
}

export const digestSchedule: ScheduleKind = {
  async run(trx: Trx, s, { occurrence }) {
    if (s.group_id === null) return [];
    const group = await trx.selectFrom('groups').selectAll().where('id', '=', s.group_id).executeTakeFirst();
    if (!group) return [];
    return insertOutbox(trx, [digestRow(group, occurrence, occurrence.toISOString(), occurrence)]);
  },
};

const periodOf = (row: OutboxRow): DigestPeriod => {
  const p = row.payload as { from: string; to: string };
  return { from: new Date(p.from), to: new Date(p.to) };
};

async function lockGroup(trx: Executor, id: number): Promise<{ row: OutboxRow; subject: Group } | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    select g.*, ${outboxColumns('o')}
      from groups g join outbox o on o.subject_type = ${GROUP_SUBJECT} and o.subject_id = g.id
     where o.id = ${id}
       for share of g for update of o`.execute(trx);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox, rest } = splitOutbox(found);
  return { row: outbox, subject: rest as unknown as Group };
}

/** The digest as a message: its lines cut into sections Slack takes. */
export async function digestMessage(db: Executor, group: Group, period: DigestPeriod, m: Messages) {
  const lines = await digestLines(db, group, period, m);
  const blocks: KnownBlock[] = sectionBlocks(lines);
  return { text: lines.join('\n'), blocks };
}

/** The chart that goes with the posted digest; a chart that cannot be drawn leaves the digest without one. */
async function chartFile(db: Executor, group: Group, period: DigestPeriod, m: Messages): Promise<MessageFile[]> {
  try {
    const { png, alt } = await renderDigestChart(await digestChartFigures(db, group, period.to), m);
    return [{ filename: `digest-${dateIn(period.to, group.time_zone)}.png`, title: m.digestChartOpenTitle, alt, bytes: png }];
  } catch {
    return [];
  }
}

const weekly: OutboxKind<Group> = {
  lock: lockGroup,
  wanted: () => true,
  render: async (trx, group, row, { m }) => ({ ...(await digestMessage(trx, group, periodOf(row), m)), files: await chartFile(trx, group, periodOf(row), m) }),
};

export const digestOutboxKinds: OutboxKinds = { [DIGEST]: outboxKind(weekly) };
