import type { AuditEvent } from '../db/audit.table.js';
import type { Executor } from '../db/database.js';
import { describeWith, recordTimeline, type DescribeContext, type Describers, type EventOf, type EventPlace } from '../platform/timeline/timeline.js';
import { formatInstant } from '../domain/time.js';
import { mention } from '../slack/mrkdwn.js';
import { caseTimeline, type CaseEvents } from './cases/timeline.js';
import { groupTimeline, type GroupEvents } from './groups/timeline.js';
import { itemTimeline, type ItemEvents } from './items/timeline.js';

/** Every kind of timeline entry docket writes, with the shape of what it records. */
export type Timeline = GroupEvents & CaseEvents & ItemEvents;
export type TimelineEvent = EventOf<Timeline>;

/** One describer per kind: leaving a kind out fails to compile (two features claiming one fails at start, in compose()). */
const describers: Describers<Timeline> = { ...groupTimeline, ...caseTimeline, ...itemTimeline };

/** Writes one entry, in the caller's transaction: the only way docket adds to a timeline. */
export function record(db: Executor, place: EventPlace, e: TimelineEvent): Promise<void> {
  return recordTimeline<Timeline>(db, place, e);
}

/** A stored entry as a line of mrkdwn in the reader's language. */
export function describeEvent(e: AuditEvent, c: DescribeContext): string {
  return describeWith<Timeline>(describers, e, c);
}

/** Entries as lines, each with its time (the group's wall time) and who made it. */
export function timelineLines(events: readonly AuditEvent[], c: DescribeContext): string[] {
  // The bot's own entries (escalations, failed deliveries) carry a name, not a Slack user id.
  return events.map((e) => `${formatInstant(e.at, c.zone)} ${mention(e.actor_user_id)} ${describeEvent(e, c)}`);
}
