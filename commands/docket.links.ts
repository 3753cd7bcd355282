import { InvalidInput, type Render } from '../src/errors.js';
import { linksOf, requestLink, unlinkParent } from '../src/services/group-links.service.js';
import { scopeForChannel } from '../src/services/scope.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { channelIdOf, channelMention } from '../src/slack/mrkdwn.js';

/** `/docket parent [#CHANNEL | none]` and `/docket child #CHANNEL`: two tiers of groups (src/services/group-links.service.ts). */
export type LinkCommand = { sub: 'parent'; target: string | null } | { sub: 'child'; target: string | null };

export const linkUsage = (sub: LinkCommand['sub']): Render => (sub === 'parent' ? (m) => m.docketParentUsage : (m) => m.docketChildUsage);

function channelOf(cmd: LinkCommand): string {
  const channel = cmd.target ? channelIdOf(cmd.target) : undefined;
  if (!channel) throw new InvalidInput((m) => m.missingArgument('#CHANNEL'), linkUsage(cmd.sub));
  return channel;
}

export async function handleLink(cmd: LinkCommand, ctx: Ctx): Promise<Effects> {
  const { m } = ctx;
  const scope = await scopeForChannel(ctx, ctx.channelId);
  if (cmd.sub === 'parent' && cmd.target === null) {
    const { parent, children } = await linksOf(ctx, scope);
    const lines = [parent ? m.linkParent(parent.channel_id) : m.linkNone];
    if (children.length) lines.push(m.linkChildren(m.list(children.map((c) => channelMention(c.channel_id)))));
    return say(lines.join('\n'));
  }
  if (cmd.sub === 'parent' && cmd.target?.toLowerCase() === 'none') {
    const r = await unlinkParent(ctx, scope);
    if (r.duplicate) return {};
    return say(r.value ? m.unlinked(r.value.channel_id) : m.linkNone);
  }
  const other = channelOf(cmd);
  const r = await requestLink(ctx, scope, other, cmd.sub === 'parent' ? 'child' : 'parent');
  if (r.duplicate) return {};
  const v = r.value;
  if (v.linked) return say(m.linked(v.child.channel_id, v.parent.channel_id));
  // The other side answers with the opposite command, naming this channel.
  const answer = cmd.sub === 'parent' ? `/docket child <#${ctx.channelId}>` : `/docket parent <#${ctx.channelId}>`;
  return say(cmd.sub === 'parent' ? m.linkRequested(other, answer) : m.linkRequestedChild(other, answer));
}
