export type Listened = 'command' | 'button' | 'view' | 'event';

/**
 * What docket listens for: the commands, buttons, forms and events its features declare
 * (src/features). The edge answers anything else at once, instead of letting Bolt hold it for
 * 3 s and 404, and the local workspace offers exactly these commands, as Slack offers those
 * of an app's manifest.
 */
export class Registrations {
  private readonly ids: Record<Listened, Set<string>> = { command: new Set(), button: new Set(), view: new Set(), event: new Set() };
  private readonly patterns: Record<Listened, RegExp[]> = { command: [], button: [], view: [], event: [] };

  /** Ids, or a pattern of ids (a listener registered by pattern). */
  declare(kind: Listened, ids: Iterable<string | RegExp>): this {
    for (const id of ids) {
      if (typeof id === 'string') this.ids[kind].add(id);
      else this.patterns[kind].push(id);
    }
    return this;
  }

  answers(kind: Listened, id: string): boolean {
    return this.ids[kind].has(id) || this.patterns[kind].some((p) => p.test(id));
  }

  /** The slash commands, for the local workspace's composer. */
  get commands(): ReadonlySet<string> {
    return this.ids.command;
  }

  get events(): ReadonlySet<string> {
    return this.ids.event;
  }
}
