import { dbFault } from '../db/errors.js';
import { AppError, coerceError, toUserReply } from '../errors.js';
import { messagesFor } from '../i18n/index.js';
import type { Deps, Effects, Request } from './handler.js';
import { mrkdwn, type Message, type WebClient } from './kit.js';
import type { RespondFn } from './respond.js';
import { uploadFile } from './files.js';

/** Where a request's answers go. */
export interface Channel {
  client: WebClient;
  /** The request's response_url (commands, message buttons); absent for form submissions. */
  respond?: RespondFn;
  triggerId?: string;
}

/** What a log line may say about a request: ids and names of commands, never typed text. */
export interface LogFields {
  kind: 'command' | 'action' | 'view' | 'event';
  name: string;
  sub?: string;
  /** Set by runHandler: how the handler ended (for the metrics, and its last log line). */
  outcome?: 'ok' | 'refused' | 'failed';
}

export function slackErrorCode(err: unknown): string {
  const data = (err as { data?: { error?: string } }).data;
  return data?.error ?? (err as { code?: string }).code ?? 'unknown_error';
}

/** The database went away while a request was worked on: the caller keeps the request and tries again later. */
export class DatabaseAway extends Error {
  override name = 'DatabaseAway';
}

/**
 * Builds the Request for a Slack user: their language comes from their Slack locale. Before
 * an ack (form submissions), the lookup may take `withinMs` at most, then English is used.
 */
export async function requestFor(deps: Deps, ids: { teamId: string; userId: string; channelId: string; requestKey?: string }, withinMs?: number): Promise<Request> {
  const slack = deps.lookups.forTeam(ids.teamId);
  const info = withinMs === undefined ? await slack.user(ids.userId) : await slack.userWithin(ids.userId, withinMs);
  return { ...ids, m: messagesFor(info?.locale) };
}

/**
 * Runs a handler and turns a failure into a short reply: AppErrors carry their own message
 * (and usage line); anything else is logged by code and answered with a generic apology.
 * Losing the database throws DatabaseAway instead: the request is kept in the inbox and tried
 * again, rather than answered with a failure.
 */
export async function runHandler(deps: Deps, req: Request, log: LogFields, fn: () => Promise<Effects>): Promise<Effects> {
  const started = performance.now();
  try {
    const effects = await fn();
    log.outcome = 'ok';
    deps.log.info({ ...log, key: req.requestKey, team: req.teamId, user: req.userId, ms: Math.round(performance.now() - started) }, 'handled');
    return effects;
  } catch (err) {
    const e = coerceError(err);
    const fields = { ...log, key: req.requestKey, team: req.teamId, user: req.userId, ms: Math.round(performance.now() - started) };
    const fault = dbFault(e);
    if (fault) {
      deps.log.warn({ ...fields, code: (e as { code?: string }).code ?? fault }, 'database unavailable');
      throw new DatabaseAway();
    }
    log.outcome = e instanceof AppError ? 'refused' : 'failed';
    if (e instanceof AppError) deps.log.info({ ...fields, code: e.code }, 'refused');
    else deps.log.error({ ...fields, err: { name: e.name, message: e.message, stack: e.stack } }, 'handler failed');
    return { reply: { text: toUserReply(e, req.m) } };
  }
}

/** The reply to the person who acted: through response_url when there is one, else ephemeral in the channel, else a DM. */
async function sendReply(ch: Channel, req: Request, reply: Message, replaceOriginal: boolean): Promise<void> {
  if (ch.respond) {
    try {
      await ch.respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
      return;
    } catch (err) {
      // A response_url lives 30 minutes and takes five answers; past that (a late answer after
      // a long outage), the person still hears back, in the channel or by DM.
      if (!req.channelId && !replaceOriginal) throw err;
    }
  }
  try {
    await ch.client.chat.postEphemeral({ channel: req.channelId, user: req.userId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
    await ch.client.chat.postMessage({ channel: req.userId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
  }
}

/**
 * Carries out a handler's effects after its transaction committed: open the modal, make the
 * public posts, then answer the person (adding a line for any post Slack refused).
 */
export async function deliver(deps: Deps, ch: Channel, req: Request, effects: Effects): Promise<void> {
  const { m } = req;
  const notes: string[] = [];
  if (effects.modal) {
    try {
      await ch.client.views.open({ trigger_id: ch.triggerId ?? '', view: effects.modal });
    } catch (err) {
      const code = slackErrorCode(err);
      // A retried request finds its trigger already used: the first delivery opened the form.
      if (code !== 'exchanged_trigger_id') {
        deps.log.warn({ code }, 'views.open failed');
        notes.push(code === 'expired_trigger_id' ? m.formExpired : m.internalError);
      }
    }
  }
  if (effects.outbox?.length) await deps.outbox.schedule(effects.outbox);
  let reply = effects.reply;
  for (const upload of effects.uploads ?? []) {
    try {
      await uploadFile(ch.client, { ...upload, channel: req.channelId });
    } catch (err) {
      const code = slackErrorCode(err);
      deps.log.warn({ code }, 'upload failed');
      // The reply would say the files are in the channel: say what happened instead.
      reply = { text: m.uploadFailed(code) };
      break;
    }
  }
  if (notes.length) {
    const extra = notes.join('\n');
    reply = reply
      ? { text: `${reply.text}\n${extra}`, ...(reply.blocks ? { blocks: [...reply.blocks, { type: 'section', text: mrkdwn(extra) }] } : {}) }
      : { text: extra };
  }
  if (!reply) return;
  try {
    await sendReply(ch, req, reply, effects.replaceOriginal ?? false);
  } catch (err) {
    deps.log.warn({ code: slackErrorCode(err) }, 'reply failed');
    // Slack refused the rich reply (or it never arrived): the person still hears something.
    if (reply.blocks) await sendReply(ch, req, { text: reply.text }, effects.replaceOriginal ?? false).catch(() => undefined);
  }
}

