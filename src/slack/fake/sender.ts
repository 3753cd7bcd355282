import { createHmac } from 'node:crypto';
import { actionOf, messageActionPayload } from './payloads.js';

/**
 * Sends what Slack sends: signed requests with Slack's exact content types. Used by the
 * tests, `npm run say`, the benchmarks and the local workspace page, so all of them reach
 * docket only through its real endpoint.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPost {
  body: string;
  headers: Record<string, string>;
}

export function signedPost(secret: string, body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', opts: { timestamp?: number; retryNum?: number } = {}): SlackPost {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(secret, ts, body),
  };
  if (opts.retryNum !== undefined && opts.retryNum !== null) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body, headers };
}

export interface CommandFields {
  command: string;
  text: string;
  teamId: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  userName?: string;
  channelName?: string;
}

/** A slash command as Slack posts it: form-encoded, every value a string. */
export function commandBody(f: CommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId,
    team_domain: 'local',
    channel_id: f.channelId,
    channel_name: f.channelName ?? f.channelId,
    user_id: f.userId,
    user_name: f.userName ?? f.userId,
    command: f.command,
    text: f.text,
    api_app_id: 'A0DOCKET',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId,
  }).toString();
}

/** Interactivity (buttons, view submissions): form-encoded with one field, `payload`, holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export async function send(url: string, post: SlackPost): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: post.headers, body: post.body });
  return { status: res.status, text: await res.text() };
}

/**
 * Slack escapes mentions in command text before sending it. A person typing in the local
 * page or `npm run say` writes @alice or #random; this does what Slack would.
 */
export function escapeMentions(text: string, users: { id: string; name: string }[], channels: { id: string; name: string }[]): string {
  return text
    .replace(/(^|\s|:)@([\w.-]+)/g, (all, pre: string, name: string) => {
      const u = users.find((x) => x.name === name || x.id === name);
      return u ? `${pre}<@${u.id}|${u.name}>` : all;
    })
    .replace(/(^|\s|:)#([\w.-]+)/g, (all, pre: string, name: string) => {
      const c = channels.find((x) => x.name === name || x.id === name);
      return c ? `${pre}<#${c.id}|${c.name}>` : all;
    });
}

/**
 * Command text as Slack delivers it: `&`, `<` and `>` typed by the person arrive as entities,
 * then mentions become Slack's escaped form (the app asks for "escape channels, users and links").
 */
export function slackCommandText(typed: string, users: { id: string; name: string }[], channels: { id: string; name: string }[]): string {
  const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escapeMentions(escaped, users, channels);
}

export interface ClickFields {
  teamId: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  actionId: string;
  value: string;
  text?: string;
  messageTs?: string;
}

/**
 * A button click (`block_actions`) on an ephemeral reply, built by the same code as the page's
 * clicks (payloads.ts) from just the button's id and value: for tests and `say`, which press a
 * button they read in a reply rather than one stored in the fake.
 */
export function blockActionPayload(f: ClickFields): Record<string, unknown> {
  const button = { type: 'button', action_id: f.actionId, text: { type: 'plain_text', text: f.text ?? f.actionId }, value: f.value };
  return messageActionPayload({
    user: { id: f.userId, name: f.userId, teamId: f.teamId },
    triggerId: f.triggerId,
    action: actionOf(button, 'b', null),
    channel: { id: f.channelId, name: f.channelId },
    message: { ts: f.messageTs ?? '1700000000.000100' },
    ephemeral: true,
    responseUrl: f.responseUrl,
  });
}
