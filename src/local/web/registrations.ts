import type { App } from '@slack/bolt';

/**
 * The slash commands and event types the bot registers with Bolt, noted as it registers
 * them. The local workspace offers exactly these (as Slack offers the commands in an app's
 * manifest), so a new command shows up in the page with no change here.
 */
export interface Registrations {
  commands: Set<string>;
  events: Set<string>;
}

export function watchRegistrations(app: App): Registrations {
  const seen: Registrations = { commands: new Set(), events: new Set() };
  const command = app.command.bind(app) as (...args: unknown[]) => void;
  const event = app.event.bind(app) as (...args: unknown[]) => void;
  // Bolt's overloads cannot be restated generically; the wrappers only look at the first argument.
  (app as { command: unknown }).command = (name: unknown, ...rest: unknown[]) => {
    if (typeof name === 'string') seen.commands.add(name);
    command(name, ...rest);
  };
  (app as { event: unknown }).event = (name: unknown, ...rest: unknown[]) => {
    if (typeof name === 'string') seen.events.add(name);
    event(name, ...rest);
  };
  return seen;
}
