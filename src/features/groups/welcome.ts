import { findGroupByChannel } from '../../db/groups.repo.js';
import { requestFor } from '../../slack/deliver.js';
import type { EventHandler } from '../feature.js';

/**
 * Invited into a channel that is not a group yet: say how to make it one. A courtesy (Bolt acks
 * events before docket sees them, so a crash loses it), posted directly: no group owns it yet.
 */
export const welcome: EventHandler = async ({ teamId, event, botUserId, client }, deps) => {
  const channel = typeof event.channel === 'string' ? event.channel : undefined;
  if (!channel || event.user !== botUserId) return;
  if (await findGroupByChannel(deps.db, teamId, channel)) return;
  const inviter = typeof event.inviter === 'string' ? event.inviter : String(event.user);
  const req = await requestFor(deps, { teamId, userId: inviter, channelId: channel });
  await client.chat.postMessage({ channel, text: req.m.welcome });
};
