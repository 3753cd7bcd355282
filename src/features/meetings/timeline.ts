import { esc, escClip } from '../../lib/text.js';
import { formatInstant } from '../../domain/time.js';
import { formatDuration } from '../../domain/reminder-settings.js';
import type { DescribeContext, Describers } from '../../platform/timeline/timeline.js';
import { formatItemNo } from '../../domain/action-item.js';

/** A case's notes as its timeline shows them (the minutes keep them whole). */
const NOTE_SHOWN = 600;

/** What meetings record in the group's audit log, kind by kind. */
export type MeetingEvents = {
  'meeting.scheduled': { before: null; after: { id: number; no: number; title: string; rule: string; start_local: string; time_zone: string; duration_minutes: number } };
  'meeting.cancelled': { before: { id: number; no: number; title: string }; after: null };
  /** `occurrence`: the instant the rule gives; a move says where it went. */
  'meeting.skipped': { before: { id: number; no: number; occurrence: string }; after: null };
  'meeting.moved': { before: { id: number; no: number; occurrence: string }; after: { moved_to: string } };
  'meeting.settings': { before: { reminders: number[] }; after: { reminders: number[] } };
  /** The fields that changed, before and after. */
  'meeting.edited': { before: { id: number; no: number } & Record<string, unknown>; after: Record<string, unknown> };
  /** The group's entry for minutes recorded; `items`: the numbers of the action items decided. */
  'meeting.minutes': { before: null; after: MinutesEntry };
  /** Each case's entry: what was said about it there, and the items decided on it. */
  'meeting.discussed': { before: null; after: MinutesEntry & { note: string | null } };
  /** The calendar link shown to someone (`created`: its token was made then); `generation`: which token. */
  'meeting.feed_shown': { before: null; after: { generation: number; created: boolean } };
  /** The calendar link replaced: the old token stops working. */
  'meeting.feed_reset': { before: { generation: number }; after: { generation: number } };
};

interface MinutesEntry {
  minutes_id: number;
  no: number;
  title: string;
  occurrence: string;
  items: number[];
}

const itemsIn = (items: number[], m: DescribeContext['m']) => (items.length ? m.list(items.map(formatItemNo)) : null);

export const meetingTimeline: Describers<MeetingEvents> = {
  'meeting.scheduled': ({ after }, { m }) => m.meetingEvent.scheduled(after.no, esc(after.title)),
  'meeting.cancelled': ({ before }, { m }) => m.meetingEvent.cancelled(before.no, esc(before.title)),
  'meeting.skipped': ({ before }, { m, zone }) => m.meetingEvent.skipped(before.no, formatInstant(new Date(before.occurrence), zone)),
  'meeting.edited': ({ before, after }, { m }) => m.meetingEvent.edited(before.no, m.list(Object.keys(after))),
  'meeting.settings': ({ after }, { m }) => m.meetingEvent.settings(after.reminders.length ? m.list(after.reminders.map(formatDuration)) : m.meetingRemindersNone),
  'meeting.minutes': ({ after }, { m, zone }) => m.minutesEvent.recorded(after.no, esc(after.title), formatInstant(new Date(after.occurrence), zone), itemsIn(after.items, m)),
  'meeting.discussed': ({ after }, { m, zone }) =>
    m.minutesEvent.discussed(after.no, esc(after.title), formatInstant(new Date(after.occurrence), zone), after.note ? escClip(after.note, NOTE_SHOWN) : null, itemsIn(after.items, m)),
  'meeting.feed_shown': ({ after }, { m }) => (after.created ? m.meetingEvent.feedCreated : m.meetingEvent.feedShown),
  'meeting.feed_reset': (_e, { m }) => m.meetingEvent.feedReset,
  'meeting.moved': ({ before, after }, { m, zone }) => m.meetingEvent.moved(before.no, formatInstant(new Date(before.occurrence), zone), formatInstant(new Date(after.moved_to), zone)),
};
