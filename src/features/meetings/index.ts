import * as meetingCommand from '../../../commands/meeting.js';
import type { Feature } from '../feature.js';
import { meetingsEn, meetingsZh } from './messages.js';
import { meetingTimeline } from './timeline.js';
import { MEETINGS_PLAN, meetingOutboxKinds, planSchedule } from './reminders.js';
import { feedRoute } from './feed-route.js';

/**
 * Standing meetings: `/meeting` schedules a series (a rule, a local start, a zone), lists the
 * group's meetings and their next dates, and cancels a series. Reminders, agendas, minutes and
 * the calendar feed (an iCalendar URL per group, served by docket itself) build on this (issue 10). Before each meeting, reminders with the agenda
 * read from the ledger go to the group channel through the outbox.
 */
export const meetings: Feature = {
  name: 'meetings',
  commands: [{ name: '/meeting', description: (m) => m.cmdMeeting, usageHint: 'help | schedule | edit | list | next | agenda | skip | move | cancel | settings | ics', parse: meetingCommand.parse, handle: meetingCommand.handle, usageOf: meetingCommand.usageOf }],
  buttons: { [meetingCommand.MEETING_ACTIONS.cancelConfirm]: meetingCommand.confirmCancel, [meetingCommand.MEETING_ACTIONS.feedReset]: meetingCommand.confirmFeedReset },
  // The calendar feed (`/meeting ics`), for Google Calendar and Outlook to subscribe to.
  routes: [feedRoute],
  outbox: meetingOutboxKinds,
  schedules: { [MEETINGS_PLAN]: planSchedule },
  messages: { en: meetingsEn, 'zh-CN': meetingsZh },
  timeline: meetingTimeline,
  // Reminders with the agenda go to the group channel.
  scopes: ['commands', 'chat:write'],
};
