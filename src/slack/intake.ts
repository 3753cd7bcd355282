import { z } from 'zod';
import { SLACK_ID } from './ids.js';

/**
 * A Slack request as docket keeps it in the inbox: enough to run it again after a crash, and
 * nothing Slack-shaped beyond that. Stored as JSON and read back possibly by a later deploy,
 * so it is parsed on the way out, never trusted.
 */

/** The pieces of a Slack request docket checks the same way at the edge and in the inbox. */
export const slackField = {
  team: z.string().regex(SLACK_ID.team),
  user: z.string().regex(SLACK_ID.user),
  channel: z.string().regex(SLACK_ID.channel),
  /** trigger ids, view ids */
  token: z.string().min(1).max(255).regex(/^[\w.-]+$/),
  responseUrl: z.url({ protocol: /^https?$/ }).max(1000),
  command: z.string().regex(/^\/[\w-]{1,31}$/),
};

const { team, user, token, responseUrl } = slackField;
/** Empty when the request came from somewhere without a channel (a button in App Home). */
const channel = z.union([slackField.channel, z.literal('')]);

const command = z.object({
  kind: z.literal('command'),
  command: slackField.command,
  text: z.string().max(40_000),
  teamId: team,
  userId: user,
  channelId: channel,
  triggerId: token,
  responseUrl: responseUrl.optional(),
});

const button = z.object({
  kind: z.literal('button'),
  actionId: z.string().min(1).max(255),
  value: z.string().max(2000),
  teamId: team,
  userId: user,
  channelId: channel,
  triggerId: token,
  responseUrl: responseUrl.optional(),
});

const view = z.object({
  kind: z.literal('view'),
  callbackId: z.string().min(1).max(255),
  viewId: token,
  teamId: team,
  userId: user,
  /** The form's inputs, block id → typed value (see readState). */
  values: z.record(z.string().max(255), z.string().max(10_000).nullable()),
  privateMetadata: z.string().max(3000),
});

export const intakeSchema = z.discriminatedUnion('kind', [command, button, view]);
export type Intake = z.infer<typeof intakeSchema>;
export type CommandIntake = z.infer<typeof command>;
export type ButtonIntake = z.infer<typeof button>;
export type ViewIntake = z.infer<typeof view>;

/** The key that makes a retried or double-sent request act once: the same one the change claims. */
export function requestKeyOf(i: Intake): string {
  switch (i.kind) {
    case 'command':
      return `cmd:${i.triggerId}`;
    case 'button':
      return `act:${i.triggerId}`;
    case 'view':
      return `view:${i.viewId}`;
  }
}

/**
 * Postgres cannot store U+0000 in text or jsonb; Slack passes it through from what people
 * paste. It carries no meaning in a command, so it is dropped before anything is kept.
 */
export function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('\u0000') ? v.replaceAll('\u0000', '') : v;
  if (Array.isArray(v)) return v.map(withoutNul);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [withoutNul(k) as string, withoutNul(x)]));
  return v;
}
