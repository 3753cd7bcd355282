/**
 * Quoting what people typed into messages. docket's messages are Slack mrkdwn, so user text is
 * escaped wherever it is quoted: in a service's error as much as in a reply.
 */

/** A person or channel named the way Slack sends them in typed text (`<@U123|name>`, `<#C123|name>`), once escaped. */
const ESCAPED_MENTION = /&lt;([@#])([UWC][A-Z0-9]{2,20})(?:\|[^&<>]{0,80})?&gt;/g;

/**
 * Text typed by users goes into mrkdwn escaped, so a case title cannot ping @channel or
 * forge a link (Slack asks for exactly these three characters to be escaped). What people
 * mean to name stays a name: a person (`<@U…>`) or a channel (`<#C…>`) shows as a mention or
 * a link. `<!channel>`, `<!here>`, `<!everyone>`, user-group pings (`<!subteam^…>`) and links
 * with a disguise (`<https://x|text>`) stay inert text.
 */
export function esc(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(ESCAPED_MENTION, (_all, sigil: string, id: string) => ((sigil === '@') === (id[0] !== 'C') ? `<${sigil}${id}>` : _all));
}

/**
 * Escapes, then shortens to `max` characters: escaping can make a text up to five times longer
 * (& → &amp;), so the limit must apply to what is sent. A cut never splits an entity.
 */
export function escClip(text: string, max: number): string {
  const escaped = esc(text);
  if ([...escaped].length <= max) return escaped;
  const cut = [...escaped].slice(0, max - 1).join('');
  // Never end inside an entity or a mention: either would show as broken markup.
  return `${cut.replace(/&[a-z]{0,3}$/, '').replace(/<[@#]?[A-Z0-9]*$/, '')}…`;
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
