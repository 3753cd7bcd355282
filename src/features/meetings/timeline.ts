import { esc } from '../../lib/text.js';
import type { Describers } from '../../platform/timeline/timeline.js';

/** What meetings record in the group's audit log, kind by kind. */
export type MeetingEvents = {
  'meeting.scheduled': { before: null; after: { id: number; no: number; title: string; rule: string; start_local: string; time_zone: string; duration_minutes: number } };
  'meeting.cancelled': { before: { id: number; no: number; title: string }; after: null };
};

export const meetingTimeline: Describers<MeetingEvents> = {
  'meeting.scheduled': ({ after }, { m }) => m.meetingEvent.scheduled(after.no, esc(after.title)),
  'meeting.cancelled': ({ before }, { m }) => m.meetingEvent.cancelled(before.no, esc(before.title)),
};
