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
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Truncates to `max` characters (code points), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Length as Slack counts it: characters, not UTF-16 units (一 and 😀 are one each). */
export function charLength(text: string): number {
  return [...text].length;
}

/** `<@U123|name>` or `<@U123>` (how Slack escapes mentions in command text) → U123. */
export function userIdOf(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1];
}

/** `<#C123|name>` or `<#C123>` → C123. */
export function channelIdOf(token: string): string | undefined {
  return /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1];
}
