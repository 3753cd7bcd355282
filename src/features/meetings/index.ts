import * as meetingCommand from '../../../commands/meeting.js';
import { submitEdit, submitSchedule } from '../../../commands/meeting.interactions.js';
import { MEETING_VIEWS } from '../../slack/blocks/meeting-modals.js';
import type { Feature } from '../feature.js';
import { meetingsEn, meetingsZh } from './messages.js';
import { meetingTimeline } from './timeline.js';
import { MEETINGS_PLAN, meetingOutboxKinds, planSchedule } from './reminders.js';

/**
 * Standing meetings: `/meeting` schedules a series (a rule, a local start, a zone), lists the
 * group's meetings and their next dates, and cancels a series. Reminders, agendas, minutes and
 * the calendar feed build on this (issue 10). Before each meeting, reminders with the agenda
 * read from the ledger go to the group channel through the outbox.
 */
export const meetings: Feature = {
  name: 'meetings',
  commands: [{ name: '/meeting', description: (m) => m.cmdMeeting, usageHint: 'help | schedule | edit | list | next | agenda | skip | move | cancel | settings', parse: meetingCommand.parse, handle: meetingCommand.handle, usageOf: meetingCommand.usageOf }],
  buttons: { [meetingCommand.MEETING_ACTIONS.cancelConfirm]: meetingCommand.confirmCancel },
  forms: { [MEETING_VIEWS.schedule]: submitSchedule, [MEETING_VIEWS.edit]: submitEdit },
  outbox: meetingOutboxKinds,
  schedules: { [MEETINGS_PLAN]: planSchedule },
  messages: { en: meetingsEn, 'zh-CN': meetingsZh },
  timeline: meetingTimeline,
  // Reminders with the agenda go to the group channel.
  scopes: ['commands', 'chat:write'],
};
