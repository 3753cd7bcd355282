import { authorize, scopesOfReader, type Scope } from '../src/services/scope.js';
import { groupedList, type GroupSection } from '../src/slack/blocks/grouped-list.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { isDirectMessage } from '../src/slack/ids.js';

/**
 * What a command answers outside any group's channel (a direct message with docket, #random):
 * a listing covers the reader's own groups, each under its heading; anything else belongs in
 * a group's channel, and a direct message is never offered as one.
 */

/** Groups one listing reads; past this, the reply counts the rest. */
const MAX_GROUPS = 20;
/** Memberships looked at, at most (a bound on the query, far beyond any real person's). */
const MEMBERSHIPS_READ = 1000;

/** In a DM, someone in no group is told how to join or start one; elsewhere, that this channel can become one. */
function noGroup(ctx: Ctx): Effects {
  return say(isDirectMessage(ctx.channelId) ? ctx.m.noGroupYet : ctx.m.notAGroup);
}

/**
 * One listing across every group the reader is a member of: `section` gives a group's lines,
 * or undefined to leave the group out (it has no unit of the name asked for). `title` is made
 * once every section is read (a total across groups). Undefined when every group was left out.
 */
export async function acrossGroups(ctx: Ctx, section: (scope: Scope) => Promise<string[] | undefined>, title: () => string): Promise<Effects | undefined> {
  const scopes = await scopesOfReader(ctx, MEMBERSHIPS_READ);
  if (scopes.length === 0) return noGroup(ctx);
  const sections: GroupSection[] = [];
  for (const scope of scopes.slice(0, MAX_GROUPS)) {
    authorize(scope, 'read');
    const lines = await section(scope);
    if (lines) sections.push({ name: scope.group.name, channelId: scope.group.channel_id, lines });
  }
  if (sections.length === 0) return undefined;
  return { reply: groupedList(title(), sections, Math.max(0, scopes.length - MAX_GROUPS), ctx.m) };
}

/** A change (or a group's own settings) asked for in a direct message: where to run it instead. */
export async function inGroupChannelOnly(ctx: Ctx): Promise<Effects> {
  const scopes = await scopesOfReader(ctx, MAX_GROUPS);
  if (scopes.length === 0) return noGroup(ctx);
  return say(ctx.m.groupChannelOnly(scopes.map((s) => s.group.channel_id)));
}
