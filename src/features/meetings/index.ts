import * as meetingCommand from '../../../commands/meeting.js';
import type { Feature } from '../feature.js';
import { meetingsEn, meetingsZh } from './messages.js';
import { meetingTimeline } from './timeline.js';

/**
 * Standing meetings: `/meeting` schedules a series (a rule, a local start, a zone), lists the
 * group's meetings and their next dates, and cancels a series. Reminders, agendas, minutes and
 * the calendar feed build on this (issue 10).
 */
export const meetings: Feature = {
  name: 'meetings',
  commands: [{ name: '/meeting', description: (m) => m.cmdMeeting, usageHint: 'help | schedule | list | next | cancel', parse: meetingCommand.parse, handle: meetingCommand.handle, usageOf: meetingCommand.usageOf }],
  buttons: { [meetingCommand.MEETING_ACTIONS.cancelConfirm]: meetingCommand.confirmCancel },
  messages: { en: meetingsEn, 'zh-CN': meetingsZh },
  timeline: meetingTimeline,
  scopes: ['commands'],
};
