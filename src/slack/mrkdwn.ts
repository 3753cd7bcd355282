import { isChannelId, isUserId } from './ids.js';

/**
 * Text typed by users goes into mrkdwn escaped, so a case title cannot ping @channel or
 * forge a link. Slack asks for exactly these three characters to be escaped.
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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

/**
 * Escapes, then shortens to `max` characters: escaping can make a text up to five times longer
 * (& → &amp;), so the limit must apply to what is sent. A cut never splits an entity.
 */
export function escClip(text: string, max: number): string {
  const escaped = esc(text);
  if ([...escaped].length <= max) return escaped;
  const cut = [...escaped].slice(0, max - 1).join('');
  return `${cut.replace(/&[a-z]{0,3}$/, '')}…`;
}

/**
 * User input quoted back in a reply (an error naming what was not understood): escaped, so it
 * cannot ping or link, and short however much was typed.
 */
export function quote(text: string): string {
  return escClip(text, 80);
}

/** Truncates to `max` characters (code points), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
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
