import { webApi } from '@slack/bolt';
import type { WebClient } from './kit.js';

/**
 * Each workspace's Web API client. A single-workspace deployment has one bot token for every
 * team (SLACK_BOT_TOKEN, or local mode's); one installed through OAuth has a token per
 * workspace, kept sealed in Postgres (src/slack/installations.ts). Requests and jobs ask for
 * their team's client here and never hold a token themselves.
 */
export interface TokenSource {
  /**
   * The team's bot token; throws NotInstalled when docket has none for it. `fresh`: not from a
   * cache (a post must not go out with a token the workspace has since replaced).
   */
  tokenFor(teamId: string, o?: { fresh?: boolean }): Promise<string>;
  /** Forgets what is cached for the team (it was uninstalled, or installed again with a new token). */
  forget(teamId: string): void;
}

/** docket has no token for this workspace: never installed, or uninstalled since. Permanent for the message at hand. */
export class NotInstalled extends Error {
  override name = 'NotInstalled';
  /** What an outbox row records when it cannot go out for this reason. */
  readonly code = 'not_installed';
  constructor(readonly teamId: string) {
    super(`docket is not installed in workspace ${teamId}`);
  }
}

export interface SlackClients {
  /** The client for the team's bot token; throws NotInstalled. See TokenSource.tokenFor for `fresh`. */
  forTeam(teamId: string, o?: { fresh?: boolean }): Promise<WebClient>;
  /** See TokenSource.forget. */
  forget(teamId: string): void;
}

/** Every team gets the one token: today's single-workspace behaviour. */
export function singleToken(token: string): TokenSource {
  return { tokenFor: () => Promise.resolve(token), forget: () => undefined };
}

/** Clients kept at once: one per token in use. */
const MAX_CLIENTS = 2000;

/**
 * Clients made with the same options for every team (a worker's posting clients retry nothing;
 * its reading clients a little), one per token: a re-installed workspace's new token gets a new
 * client, and the old one is dropped when clients are many.
 */
export function slackClients(source: TokenSource, options: webApi.WebClientOptions): SlackClients {
  const byToken = new Map<string, WebClient>();
  return {
    async forTeam(teamId, o) {
      const token = await source.tokenFor(teamId, o);
      let client = byToken.get(token);
      if (!client) {
        if (byToken.size >= MAX_CLIENTS) byToken.delete(byToken.keys().next().value!);
        client = new webApi.WebClient(token, options);
        byToken.set(token, client);
      }
      return client;
    },
    forget: (teamId) => source.forget(teamId),
  };
}
