import * as actionCommand from '../../../commands/action.js';
import { addItemButton, itemButton, submitAddItem, submitReassign, type ItemButton } from '../../../commands/action.interactions.js';
import { ITEM_ACTIONS } from '../../slack/blocks/action-ids.js';
import { ACTION_VIEWS } from '../../slack/blocks/action-modals.js';
import type { ButtonHandler, Feature } from '../feature.js';
import { homeOpened } from './home.js';
import { OVERDUE_SCHEDULE, overdueSchedule } from './overdue-schedule.js';
import { itemReminderKinds } from './reminder-kinds.js';
import { itemTimeline } from './timeline.js';
import { itemsEn, itemsZh } from './messages.js';

const item = (what: ItemButton): ButtonHandler => (id, ctx) => itemButton(what, id, ctx);

/** Action items and their reminders: `/action`, item buttons and forms, App Home, the daily overdue reminder. */
export const items: Feature = {
  name: 'items',
  commands: [{ name: '/action', description: (m) => m.cmdAction, usageHint: 'help | add | list | show | done | reassign | due | snooze | settings …', parse: actionCommand.parse, handle: actionCommand.handle, usageOf: actionCommand.usageOf, inDirectMessage: actionCommand.IN_DIRECT_MESSAGE }],
  buttons: {
    [ITEM_ACTIONS.done]: item('done'),
    [ITEM_ACTIONS.snooze1h]: item('snooze1h'),
    [ITEM_ACTIONS.snooze1d]: item('snooze1d'),
    [ITEM_ACTIONS.snooze1w]: item('snooze1w'),
    [ITEM_ACTIONS.reassign]: item('reassign'),
    [ITEM_ACTIONS.reopen]: item('reopen'),
    [ITEM_ACTIONS.show]: item('show'),
    [ITEM_ACTIONS.add]: (ref, ctx) => addItemButton(ref, ctx),
  },
  forms: { [ACTION_VIEWS.add]: submitAddItem, [ACTION_VIEWS.reassign]: submitReassign },
  events: { app_home_opened: homeOpened },
  outbox: itemReminderKinds,
  schedules: { [OVERDUE_SCHEDULE]: overdueSchedule },
  // Reminders are direct messages (im:write opens them); a reminder whose worker died is
  // looked for in the conversation's history before it is sent again.
  messages: { en: itemsEn, 'zh-CN': itemsZh },
  timeline: itemTimeline,
  // `/action export` shares a CSV file in the channel (files:write).
  scopes: ['commands', 'chat:write', 'im:write', 'users:read', 'im:history', 'channels:history', 'groups:history', 'files:write'],
};
