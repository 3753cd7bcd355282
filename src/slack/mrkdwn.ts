import { esc } from '../lib/text.js';
import { isChannelId, isUserId } from './ids.js';

// Escaping user text is plain string work that services need too (quoting input in an error).
export { clip, esc, escClip, quote } from '../lib/text.js';

/**
 * Command text as the person typed it. Slack sends `&`, `<` and `>` typed in a command as
 * entities (its own mentions stay `<@U…>`); left as they are, "R&D" would be stored as
 * "R&amp;D" and shown double-escaped.
 */
export function fromSlackText(text: string): string {
  return withoutControls(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** Drops control characters (Postgres refuses NUL in text) but keeps line breaks and tabs. */
export function withoutControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** `<@U…>` for a valid user id; anything else (bad data from before ids were checked) as inert text. */
export function mention(userId: string): string {
  return isUserId(userId) ? `<@${userId}>` : esc(userId);
}

export function channelMention(channelId: string): string {
  return isChannelId(channelId) ? `<#${channelId}>` : esc(channelId);
}

/** `<@U123|name>` or `<@U123>` (how Slack escapes mentions in command text) → U123. */
export function userIdOf(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$/.exec(token)?.[1];
}

/** `<#C123|name>` or `<#C123>` → C123. */
export function channelIdOf(token: string): string | undefined {
  return /^<#([CG][A-Z0-9]{2,20})(?:\|[^>]*)?>$/.exec(token)?.[1];
}
