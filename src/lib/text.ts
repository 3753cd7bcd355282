/**
 * Quoting what people typed into messages. docket's messages are Slack mrkdwn, so user text is
 * escaped wherever it is quoted: in a service's error as much as in a reply.
 */

/**
 * Text typed by users goes into mrkdwn escaped, so a case title cannot ping @channel or
 * forge a link. Slack asks for exactly these three characters to be escaped.
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
