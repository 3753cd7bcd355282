import * as docketCommand from '../../../commands/docket.js';
import type { Feature } from '../feature.js';
import { welcome } from './welcome.js';
import { groupTimeline } from './timeline.js';
import { groupsEn, groupsZh } from './messages.js';

/** Groups, their units and members: `/docket`. */
export const groups: Feature = {
  name: 'groups',
  commands: [{ name: '/docket', description: (m) => m.cmdDocket, usageHint: 'help | setup | settings | units | members | stats', parse: docketCommand.parse, handle: docketCommand.handle, usageOf: docketCommand.usageOf, inDirectMessage: docketCommand.IN_DIRECT_MESSAGE }],
  buttons: {
    [docketCommand.DOCKET_ACTIONS.removeMember]: (user, ctx) => docketCommand.confirmRemoval(ctx, { user }),
    [docketCommand.DOCKET_ACTIONS.removeUnit]: (unit, ctx) => docketCommand.confirmRemoval(ctx, { unit }),
  },
  events: { member_joined_channel: welcome },
  // The channel's name for a new group; knowing when docket is invited (public and private).
  messages: { en: groupsEn, 'zh-CN': groupsZh },
  timeline: groupTimeline,
  scopes: ['commands', 'chat:write', 'users:read', 'channels:read', 'groups:read'],
};
