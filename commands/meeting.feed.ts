import { z } from 'zod';
import { InvalidInput } from '../src/errors.js';
import { feedPath } from '../src/features/meetings/feed-route.js';
import { feedGeneration, feedTokenFor, replaceFeedToken } from '../src/services/meeting-feed.service.js';
import { scopeForChannel } from '../src/services/scope.js';
import { confirmMessage } from '../src/slack/blocks/case-card.js';
import type { Ctx, Effects } from '../src/slack/handler.js';

/** `/meeting ics [reset]`: the group's calendar feed, its link shown and replaced. */
export const FEED_RESET_CONFIRM = 'meeting.ics.reset.confirm';

const feedUrl = (ctx: Ctx, token: string) => `${ctx.publicUrl}${feedPath(token)}`;

/** The link, to any reader of the group (made on first use). */
export async function showFeed(ctx: Ctx): Promise<Effects> {
  const scope = await scopeForChannel(ctx, ctx.channelId);
  const result = await feedTokenFor(ctx, scope);
  if (result.duplicate) return {};
  return { reply: { text: ctx.m.meetingFeed(feedUrl(ctx, result.value)) } };
}

/** Replacing it asks first (coordinators): whoever added the old link loses the meetings. */
export async function askFeedReset(ctx: Ctx): Promise<Effects> {
  const scope = await scopeForChannel(ctx, ctx.channelId);
  const generation = await feedGeneration(ctx, scope);
  return { reply: confirmMessage(ctx.m.meetingFeedResetConfirm, { actionId: FEED_RESET_CONFIRM, value: JSON.stringify({ generation }), danger: true }, ctx.m) };
}

/** The confirmation button's value comes back from Slack: parsed, not trusted. */
const resetRequest = z.object({ generation: z.number().int().min(0).max(1e9) });

export async function confirmFeedReset(value: string, ctx: Ctx): Promise<Effects> {
  let generation: number;
  try {
    generation = resetRequest.parse(JSON.parse(value)).generation;
  } catch {
    throw new InvalidInput((m) => m.staleButton);
  }
  const scope = await scopeForChannel(ctx, ctx.channelId);
  const result = await replaceFeedToken(ctx, scope, generation);
  if (result.duplicate) return {};
  return { reply: { text: ctx.m.meetingFeedReplaced(feedUrl(ctx, result.value)) }, replaceOriginal: true };
}
