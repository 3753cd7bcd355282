import type { AuditEvent } from '../db/audit.table.js';
import type { Executor } from '../db/database.js';
import { describeWith, recordTimeline, type DescribeContext, type Describers, type EventOf, type EventPlace } from '../platform/timeline/timeline.js';
import { dateIn, formatInstant } from '../domain/time.js';
import { mention } from '../slack/mrkdwn.js';
import { caseTimeline, type CaseEvents } from './cases/timeline.js';
import { groupTimeline, type GroupEvents } from './groups/timeline.js';
import { itemTimeline, type ItemEvents } from './items/timeline.js';
import { meetingTimeline, type MeetingEvents } from './meetings/timeline.js';
import { digestTimeline, type DigestEvents } from './digest/timeline.js';

/** Every kind of timeline entry docket writes, with the shape of what it records. */
export type Timeline = GroupEvents & CaseEvents & ItemEvents & MeetingEvents & DigestEvents;
export type TimelineEvent = EventOf<Timeline>;

/** One describer per kind: leaving a kind out fails to compile (two features claiming one fails at start, in compose()). */
const describers: Describers<Timeline> = { ...groupTimeline, ...caseTimeline, ...itemTimeline, ...meetingTimeline, ...digestTimeline };

/** Writes one entry, in the caller's transaction: the only way docket adds to a timeline. */
export function record(db: Executor, place: EventPlace, e: TimelineEvent): Promise<void> {
  return recordTimeline<Timeline>(db, place, e);
}

/** A stored entry as a line of mrkdwn in the reader's language. */
export function describeEvent(e: AuditEvent, c: DescribeContext): string {
  return describeWith<Timeline>(describers, e, c);
}

/** Kinds whose fact has a date and no time (money is dated, a case opened on a day). */
const DATED = new Set<keyof Timeline>(['money.added', 'case.opened']);

/** When an entry happened, as its line shows it: the group's wall time, or the date alone. */
export function happenedText(e: Pick<AuditEvent, 'kind' | 'at' | 'recorded_at'>, zone: string): string {
  const dated = DATED.has(e.kind as keyof Timeline) && e.at.getTime() !== e.recorded_at.getTime();
  return dated ? dateIn(e.at, zone) : formatInstant(e.at, zone);
}

/**
 * Entries as lines, each with when it happened (the group's wall time), who recorded it, and
 * when it was recorded where that was another day: a backfilled history reads as it happened.
 */
export function timelineLines(events: readonly AuditEvent[], c: DescribeContext): string[] {
  return events.map((e) => {
    const recorded = dateIn(e.recorded_at, c.zone);
    const late = recorded !== dateIn(e.at, c.zone) ? ` ${c.m.recordedOn(recorded)}` : '';
    // The bot's own entries (escalations, failed deliveries) carry a name, not a Slack user id.
    return `${happenedText(e, c.zone)} ${mention(e.actor_user_id)} ${describeEvent(e, c)}${late}`;
  });
}
