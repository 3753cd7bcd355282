/**
 * Block Kit as plain text, for a terminal (`npm run say`): headers, sections, fields,
 * context and buttons, with mentions shown by id. Good enough to read, not a renderer.
 */
type Obj = Record<string, any>;

/** Names for user ids in mentions; ids are shown when a name is not known. */
export type NameOf = (userId: string) => string | undefined;

function unescape(text: string, nameOf: NameOf = () => undefined): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]+))?>/g, (_a, id: string, name?: string) => `@${name ?? nameOf(id) ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]+))?>/g, (_a, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function blocksToText(blocks: Obj[] | undefined, fallback = '', nameOf?: NameOf): string {
  const textOf = (t: Obj | undefined) => (t?.text ? unescape(String(t.text), nameOf) : '');
  if (!blocks?.length) return unescape(fallback, nameOf);
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'header':
        out.push(`== ${textOf(b.text)} ==`);
        break;
      case 'section':
        if (b.text) out.push(textOf(b.text));
        for (const f of b.fields ?? []) out.push(`  ${textOf(f).replace(/\n/g, ': ')}`);
        if (b.accessory?.type === 'button') out.push(`  [${textOf(b.accessory.text)}]`);
        break;
      case 'context':
        out.push(...(b.elements ?? []).map((e: Obj) => `  ${textOf(e)}`));
        break;
      case 'actions':
        out.push((b.elements ?? []).map((e: Obj) => `[${textOf(e.text) || e.type}]`).join(' '));
        break;
      case 'divider':
        out.push('----');
        break;
      default:
        out.push(`(${b.type})`);
    }
  }
  return out.join('\n');
}
