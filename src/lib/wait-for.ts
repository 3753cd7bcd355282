import type { EventEmitter } from 'node:events';

/**
 * The first item (already seen, or emitted later as `event`) that matches: how tests and
 * tools wait for a condition instead of sleeping.
 */
export function waitForItem<T>(emitter: EventEmitter, event: string, seen: readonly T[], match: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const found = seen.find(match);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const on = (item: T) => {
      if (!match(item)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(item);
    };
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no matching ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, on);
  });
}
