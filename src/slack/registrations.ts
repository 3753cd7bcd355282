import type { App } from '@slack/bolt';

/**
 * What docket's Bolt app listens for, noted as each listener is registered: the edge answers
 * anything else at once instead of letting Bolt hold it for 3 s and 404, and the local
 * workspace offers exactly these commands (as Slack offers an app's manifest commands).
 * A listener registered by pattern rather than by name makes every id of its kind count.
 */
export class Registrations {
  readonly commands = new Set<string>();
  readonly actions = new Set<string>();
  readonly views = new Set<string>();
  readonly events = new Set<string>();
  private readonly byPattern = new Set<'command' | 'button' | 'view'>();

  answers(kind: 'command' | 'button' | 'view', id: string): boolean {
    if (this.byPattern.has(kind)) return true;
    return (kind === 'command' ? this.commands : kind === 'button' ? this.actions : this.views).has(id);
  }

  /** Starts noting what `app` registers from now on. */
  watch(app: App): this {
    const note = (kind: 'command' | 'button' | 'view' | 'event', set: Set<string>) => {
      const original = (app as unknown as Record<string, (...args: unknown[]) => void>)[kind === 'button' ? 'action' : kind]!.bind(app);
      // Bolt's overloads cannot be restated generically; the wrapper only looks at the first argument.
      (app as unknown as Record<string, unknown>)[kind === 'button' ? 'action' : kind] = (id: unknown, ...rest: unknown[]) => {
        if (typeof id === 'string') set.add(id);
        else if (kind !== 'event') this.byPattern.add(kind);
        original(id, ...rest);
      };
    };
    note('command', this.commands);
    note('button', this.actions);
    note('view', this.views);
    note('event', this.events);
    return this;
  }
}
