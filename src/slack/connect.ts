import { webApi } from '@slack/bolt';

const { ErrorCode } = webApi;

/**
 * Reaching Slack at start-up (Bolt's `auth.test`). A token Slack refuses will not start
 * working by waiting: the process stops with one line naming the variable to fix. Anything
 * else (no network, Slack answering 5xx, an outage) passes: docket keeps trying, with a
 * back-off, one line per attempt, and is not ready meanwhile.
 */

/** What each refusal means, for the person who has to fix the token. */
const REFUSALS: Record<string, string> = {
  invalid_auth: 'it is not a valid token',
  not_authed: 'no token reached Slack',
  account_inactive: 'it belongs to a deactivated user or workspace',
  token_revoked: 'it has been revoked (the app was uninstalled, or its token regenerated)',
  token_expired: 'it has expired (token rotation is on for this app)',
  not_allowed_token_type: 'it is not the right kind of token',
  team_access_not_granted: 'the app has no access to this workspace',
  ekm_access_denied: "the workspace's encryption keys deny access",
};

const FIX: Record<TokenVariable, string> = {
  SLACK_BOT_TOKEN: `set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…, on its "OAuth & Permissions" page; reinstall the app if it was uninstalled), then start docket again`,
  SLACK_APP_TOKEN: `set SLACK_APP_TOKEN to an app-level token with the connections:write scope (xapp-…, on the app's "Basic Information" page), then start docket again`,
};

export type TokenVariable = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN';

/** A token Slack refused: waiting will not help. Its message is one line with the fix. */
export class SlackRefused extends Error {
  override name = 'SlackRefused';
}

export type SlackFailure = { kind: 'refused'; line: string } | { kind: 'passing'; reason: string };

interface WebApiError {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  original?: { name?: string; code?: unknown; message?: string; cause?: { code?: unknown; message?: string } };
}

/** What a failed call means here; undefined for an error that is not Slack's (a bug: let it surface). */
export function classifySlackFailure(err: unknown, where: string, variable: TokenVariable = 'SLACK_BOT_TOKEN'): SlackFailure | undefined {
  const e = (err ?? {}) as WebApiError;
  switch (e.code) {
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      const why = REFUSALS[code];
      if (why) return { kind: 'refused', line: `Slack refused ${variable} (${code}): ${why}; ${FIX[variable]}.` };
      return { kind: 'passing', reason: `at ${where} answered "${code}"` };
    }
    case ErrorCode.HTTPError:
      return { kind: 'passing', reason: `at ${where} answered HTTP ${e.statusCode ?? '?'}` };
    case ErrorCode.RateLimitedError:
      return { kind: 'passing', reason: `at ${where} is rate limiting us` };
    case ErrorCode.RequestError:
      // Connection refused or reset, name not found, timed out: the network, not the token.
      return { kind: 'passing', reason: `is not reachable at ${where} (${networkReason(e.original)})` };
    default:
      return undefined;
  }
}

/** ECONNREFUSED, ENOTFOUND…: the client fetches, so the socket's code is on the cause of its "fetch failed". */
function networkReason(original: WebApiError['original']): string {
  if (!original) return 'no answer';
  if (original.name === 'TimeoutError') return 'no answer in time';
  const code = [original.code, original.cause?.code].find((c) => typeof c === 'string');
  return code ?? original.cause?.message ?? original.message ?? 'no answer';
}

export interface ConnectOptions {
  /** One try: Bolt's init, which calls auth.test (itself retried a few times quickly by the client). */
  attempt: () => Promise<void>;
  /** Where the Web API is, for the lines ("slack.com"). */
  where: string;
  /** Told one line per failed attempt, and once when Slack answers after failing. */
  say: (line: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const BACKOFF = { firstDelayMs: 1000, maxDelayMs: 30_000 } as const;

/**
 * Tries until Slack answers; throws SlackRefused at once for a refused token. The delay
 * doubles from 1 s to 30 s: a short network blip costs a second, a long outage one try (and
 * one line) every half minute.
 */
export async function connectToSlack(o: ConnectOptions): Promise<void> {
  const first = o.firstDelayMs ?? BACKOFF.firstDelayMs;
  const max = o.maxDelayMs ?? BACKOFF.maxDelayMs;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 1; ; n++) {
    try {
      await o.attempt();
      if (n > 1) o.say(`Slack answered at attempt ${n}; docket is ready.`);
      return;
    } catch (err) {
      const failure = classifySlackFailure(err, o.where);
      if (!failure) throw err;
      if (failure.kind === 'refused') throw new SlackRefused(failure.line);
      const delay = Math.min(max, first * 2 ** (n - 1));
      o.say(`Slack ${failure.reason}; trying again in ${formatDelay(delay)} (attempt ${n}); docket is not ready until Slack answers.`);
      await sleep(delay);
    }
  }
}

function formatDelay(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The host of the Web API, for lines an operator reads (never a path with secrets in it). */
export function slackHost(apiUrl: string | undefined): string {
  if (!apiUrl) return 'slack.com';
  try {
    return new URL(apiUrl).host;
  } catch {
    return 'the configured SLACK_API_URL';
  }
}
