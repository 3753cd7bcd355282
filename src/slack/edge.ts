import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { slackField } from './intake.js';

/**
 * The front door of /slack/events, before Bolt: every request is read with a size cap,
 * its signature and timestamp checked (both directions: Bolt refuses only old ones), and its
 * shape checked, so a malformed request gets 400 at once instead of a 500 or a 3-second hang,
 * and one docket has no use for (a payload type or button it does not listen for) gets its
 * 200 at once. What passes is handed to Bolt with the body already read.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SKEW_S = 5 * 60;

const { team, user, channel, token, responseUrl: url } = slackField;

const command = z.object({
  command: slackField.command,
  text: z.string().max(40_000).optional(),
  team_id: team,
  user_id: user,
  channel_id: channel,
  trigger_id: token,
  response_url: url,
});

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: user, team_id: team.optional() }),
  team: z.object({ id: team }).nullable().optional(),
  view: z.object({ team_id: team.optional() }).loose().optional(),
  trigger_id: token,
  channel: z.object({ id: channel }).optional(),
  response_url: url.optional(),
  actions: z.array(z.object({ action_id: z.string().min(1).max(255), value: z.string().max(2000).optional() })).min(1).max(25),
});

const viewSubmission = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: user }),
  team: z.object({ id: team }).nullable().optional(),
  view: z.object({
    id: token,
    team_id: team.optional(),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ type: z.string() }).loose())) }),
    blocks: z.array(z.object({ type: z.string() }).loose()).max(100),
  }),
});

/** Interactions Slack may send that docket never asks for: acknowledged and dropped. */
const IGNORED_PAYLOADS = new Set(['view_closed', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'dialog_submission', 'dialog_cancellation', 'workflow_step_edit']);

const eventEnvelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().max(200) }),
  z.object({ type: z.literal('event_callback'), team_id: team, event_id: z.string().max(100), event: z.object({ type: z.string().max(100) }).loose() }),
  z.object({ type: z.literal('app_rate_limited') }),
]);

export type Verdict = 'pass' | 'ignore' | 'malformed';

export interface EdgeOptions {
  secret: string;
  log: Logger;
  /** Whether docket listens for this command, button or form. */
  answers(kind: 'command' | 'button' | 'view', id: string): boolean;
  now?: () => number;
}

function signatureOk(secret: string, ts: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the edge does with a verified body. */
export function judge(contentType: string, body: string, answers: EdgeOptions['answers']): Verdict {
  if (contentType === 'application/json') {
    const env = eventEnvelope.safeParse(parseJson(body));
    return env.success ? (env.data.type === 'app_rate_limited' ? 'ignore' : 'pass') : 'malformed';
  }
  if (contentType !== 'application/x-www-form-urlencoded') return 'malformed';
  const form = new URLSearchParams(body);
  if (form.get('ssl_check') === '1') return 'pass';
  const payload = form.get('payload');
  if (payload === null) {
    const cmd = command.safeParse(Object.fromEntries(form));
    if (!cmd.success) return 'malformed';
    return answers('command', cmd.data.command) ? 'pass' : 'ignore';
  }
  const p = parseJson(payload) as { type?: unknown } | undefined;
  if (!p || typeof p !== 'object' || typeof p.type !== 'string') return 'malformed';
  if (IGNORED_PAYLOADS.has(p.type)) return 'ignore';
  if (p.type === 'block_actions') {
    const a = blockActions.safeParse(p);
    // Whose workspace it is must be known from somewhere (org-wide apps may send team: null).
    if (!a.success || !(a.data.team?.id ?? a.data.user.team_id ?? a.data.view?.team_id)) return 'malformed';
    return a.data.actions.some((x) => answers('button', x.action_id)) ? 'pass' : 'ignore';
  }
  if (p.type === 'view_submission') {
    const v = viewSubmission.safeParse(p);
    if (!v.success || (!v.data.team && !v.data.view.team_id)) return 'malformed';
    return answers('view', v.data.view.callback_id) ? 'pass' : 'ignore';
  }
  return 'malformed';
}

async function readCapped(req: Request, max: number): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return 'too_large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return 'too_large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function slackEdge(o: EdgeOptions) {
  const now = o.now ?? (() => Date.now());
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const body = await readCapped(req, MAX_BODY_BYTES).catch(() => 'unreadable' as const);
    if (body === 'too_large' || body === 'unreadable') {
      // Answered without reading the rest: the connection goes, so nobody streams us a gigabyte.
      res.status(body === 'too_large' ? 413 : 400).set('connection', 'close').end();
      return;
    }
    const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
    const signature = String(req.headers['x-slack-signature'] ?? '');
    const skew = Math.abs(now() / 1000 - Number(ts));
    if (!/^\d{1,12}$/.test(ts) || !(skew <= MAX_SKEW_S) || !signatureOk(o.secret, ts, body, signature)) {
      o.log.warn({ why: /^\d{1,12}$/.test(ts) && skew > MAX_SKEW_S ? 'timestamp' : 'signature' }, 'unsigned request refused');
      res.status(401).end();
      return;
    }
    const verdict = judge(String(req.headers['content-type'] ?? ''), body.toString('utf8'), o.answers);
    if (verdict !== 'pass') {
      if (verdict === 'malformed') {
        o.log.warn({ retry: req.headers['x-slack-retry-num'] ?? null }, 'malformed request refused');
        // Events API deliveries are retried on failure: this one would fail the same way every time.
        res.set('x-slack-no-retry', '1');
      }
      res.status(verdict === 'malformed' ? 400 : 200).end();
      return;
    }
    // Bolt reads a body it is given instead of the (already consumed) stream.
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };
}
