import * as meetingCommand from '../../../commands/meeting.js';
import { submitEdit, submitSchedule } from '../../../commands/meeting.interactions.js';
import { MEETING_VIEWS } from '../../slack/blocks/meeting-modals.js';
import type { Feature } from '../feature.js';
import { meetingsEn, meetingsZh } from './messages.js';
import { meetingTimeline } from './timeline.js';
import { MEETINGS_PLAN, meetingOutboxKinds, planSchedule } from './reminders.js';
import { minutesButton, submitMinutes } from '../../../commands/meeting.minutes.js';
import { RECORD_MINUTES, minutesOutboxKinds } from './minutes.js';
import { MINUTES_VIEW } from './minutes-form.js';
import { feedRoute } from './feed-route.js';

/**
 * Standing meetings: `/meeting` schedules a series (a rule, a local start, a zone), lists the
 * group's meetings and their next dates, and cancels a series. Reminders, agendas, minutes and
 * the calendar feed (an iCalendar URL per group, served by docket itself) build on this. Before
 * each meeting, reminders with the agenda read from the ledger go to the group channel through
 * the outbox; minutes recorded after it (by form) post to the channel, go on each case's
 * timeline, and turn its decisions into action items.
 */
export const meetings: Feature = {
  name: 'meetings',
  commands: [{ name: '/meeting', description: (m) => m.cmdMeeting, usageHint: 'help | schedule | edit | list | next | agenda | skip | move | minutes | cancel | settings | ics', parse: meetingCommand.parse, handle: meetingCommand.handle, usageOf: meetingCommand.usageOf }],
  buttons: {
    [meetingCommand.MEETING_ACTIONS.cancelConfirm]: meetingCommand.confirmCancel,
    [meetingCommand.MEETING_ACTIONS.feedReset]: meetingCommand.confirmFeedReset,
    [RECORD_MINUTES]: minutesButton,
  },
  forms: { [MEETING_VIEWS.schedule]: submitSchedule, [MEETING_VIEWS.edit]: submitEdit, [MINUTES_VIEW]: submitMinutes },
  // The calendar feed (`/meeting ics`), for Google Calendar and Outlook to subscribe to.
  routes: [feedRoute],
  outbox: { ...meetingOutboxKinds, ...minutesOutboxKinds },
  schedules: { [MEETINGS_PLAN]: planSchedule },
  messages: { en: meetingsEn, 'zh-CN': meetingsZh },
  timeline: meetingTimeline,
  // Reminders with the agenda go to the group channel; the convener's note about missing minutes is a direct message.
  scopes: ['commands', 'chat:write', 'im:write'],
};
