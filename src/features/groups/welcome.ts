import { findGroupByChannel } from '../../db/groups.repo.js';
import { requestFor } from '../../slack/deliver.js';
import type { EventHandler } from '../feature.js';

/**
 * Invited into a channel that is not a group yet: tell whoever invited docket how to make it
 * one, in their language, as a message only they see (like any reply, it is immediate: what
 * docket posts for the whole channel goes through the outbox, and no group owns this channel
 * yet). A courtesy: Bolt acks events before docket sees them, so a crash loses it. Added
 * without an inviter (an admin's integration settings), there is nobody to tell.
 */
export const welcome: EventHandler = async ({ teamId, event, botUserId, client }, deps) => {
  const channel = typeof event.channel === 'string' ? event.channel : undefined;
  if (!channel || event.user !== botUserId) return;
  if (await findGroupByChannel(deps.db, teamId, channel)) return;
  const inviter = typeof event.inviter === 'string' ? event.inviter : undefined;
  if (!inviter) return;
  const req = await requestFor(deps, { teamId, userId: inviter, channelId: channel });
  await client.chat.postEphemeral({ channel, user: inviter, text: req.m.welcome });
};
