import { webApi } from '@slack/bolt';
import { isUserId } from '../../slack/ids.js';
import type { KnownBlock, MessageFile, WebClient } from '../../slack/kit.js';
import { uploadFile } from '../../slack/files.js';
import type { ChannelPacer, Reservation } from './channel-pacer.js';
import type { Metrics } from '../../lib/metrics.js';
import { NotInstalled, type SlackClients } from '../../slack/clients.js';
import { TokenUnreadable } from '../../lib/token-crypto.js';

/**
 * The one way a job posts to Slack. It paces each channel (see ChannelPacer), turns Slack's
 * answers into outcomes a job can act on, and can look for a message it may have posted
 * before a crash (message metadata carries the outbox row's id).
 */
export type PostOutcome =
  | { kind: 'posted'; channel: string; ts: string }
  /** 429: nothing was posted; try again after the pause. */
  | { kind: 'ratelimited'; retryAfterMs: number }
  /** Slack will never accept this (channel gone, bot removed, account deactivated…): record it, do not retry. */
  | { kind: 'permanent'; code: string }
  /** Slack answered with an error: nothing was posted; retry with back-off. */
  | { kind: 'refused'; code: string }
  /** No answer (timeout, connection lost after sending): it may or may not have been posted. */
  | { kind: 'uncertain'; code: string };

export const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'team_access_not_granted',
  'ekm_access_denied',
  'invalid_blocks',
  'invalid_metadata_format',
  'msg_too_long',
  'no_text',
]);

/** Codes for which nothing reached Slack: the connection was never made. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export const METADATA_EVENT = 'docket_outbox';
/** What rows posted before the outbox replaced the reminders table carry (same ids). */
const LEGACY_METADATA_EVENT = 'docket_reminder';

export interface OutboundMessage {
  text: string;
  blocks?: KnownBlock[];
  /** Shared in the channel after the post (see Message.files). */
  files?: MessageFile[];
  /** Written into the message's metadata, so a later attempt can find the message in history. */
  outboxId: number;
  /** Also in the metadata: what kind of message it is, for whoever reads the channel's history. */
  kind: string;
}

function carriesRow(m: { metadata?: { event_type?: string; event_payload?: unknown } }, id: number): boolean {
  const p = m.metadata?.event_payload as Record<string, unknown> | undefined;
  if (m.metadata?.event_type === METADATA_EVENT) return Number(p?.outbox_id) === id;
  return m.metadata?.event_type === LEGACY_METADATA_EVENT && Number(p?.reminder_id) === id;
}

/** What a failed Web API call means for the job: the same for a post and for a read of history. */
export type CallFailure = Exclude<PostOutcome, { kind: 'posted' }>;

export function classify(err: unknown): CallFailure {
  // No token for the workspace: uninstalled (for good, unless installed again), or sealed
  // with a key this process was not given (an operator's mistake, worth retrying for a while).
  if (err instanceof NotInstalled) return { kind: 'permanent', code: err.code };
  if (err instanceof TokenUnreadable) return { kind: 'refused', code: 'token_unreadable' };
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; original?: { name?: string; cause?: { code?: string } } };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { kind: 'ratelimited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return { kind: 'ratelimited', retryAfterMs: 1000 };
      return PERMANENT_ERRORS.has(code) ? { kind: 'permanent', code } : { kind: 'refused', code };
    }
    case webApi.ErrorCode.HTTPError:
      return { kind: 'uncertain', code: `http_${e.statusCode ?? 'error'}` };
    case webApi.ErrorCode.RequestError: {
      const cause = e.original?.cause?.code ?? e.original?.name ?? 'request_error';
      return NOT_SENT.has(cause) ? { kind: 'refused', code: cause } : { kind: 'uncertain', code: cause };
    }
    default:
      return { kind: 'uncertain', code: 'unknown_error' };
  }
}

/** What an update of a sent message came to. */
export type UpdateOutcome = { kind: 'updated' } | CallFailure;

/**
 * chat.update's answers after which no update of that message will ever succeed: it is gone
 * (deleted in Slack), not the bot's, past the workspace's edit window, or its conversation is
 * gone or archived; and whatever a post would never get past either (a revoked token…).
 */
export const UPDATE_PERMANENT_ERRORS = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', ...PERMANENT_ERRORS]);

/**
 * Updates go through a lane of their own per workspace, paced like a channel: Slack limits
 * chat.update per method (Tier 3, about 50 a minute), not per channel, and an update must not
 * take a channel's turn from a post. Never a channel id (those have no dash).
 */
export const updateLane = (teamId: string) => `update-${teamId}`;

/**
 * One workspace's side of the outbound path, with the token it has now. Made before the
 * delivery's transaction opens (reading the token takes a connection, which a transaction may
 * not), so that a post never goes out with a token the workspace has since replaced.
 */
export interface WorkspaceOutbound {
  post(channel: string, msg: OutboundMessage): Promise<PostOutcome>;
  update(target: { channel: string; ts: string }, msg: { text: string; blocks?: KnownBlock[] }): Promise<UpdateOutcome>;
}

/** The workspace's client, or why there is none (not installed, a token that will not open). */
type Sender = { client: WebClient } | { failure: CallFailure };

export class Outbound {
  readonly pacer: ChannelPacer;

  constructor(
    /** Each workspace's posting client: no automatic retries (a blind retry could post twice) and 429s rejected to us. */
    private readonly clients: SlackClients,
    pacer: ChannelPacer,
    /** Counts Slack's 429s (a wait for the channel's own pace is not one). */
    private readonly metrics?: Metrics,
    /** Told when a file that goes with a post could not be shared. */
    private readonly onFileError?: (filename: string, failure: CallFailure) => void,
  ) {
    this.pacer = pacer;
  }

  reserve(channel: string, jobId: string): Promise<Reservation> {
    return this.pacer.reserve(channel, jobId);
  }

  /** The workspace's posting and updating, its token read afresh: call it outside any transaction. */
  async to(teamId: string): Promise<WorkspaceOutbound> {
    let sender: Sender;
    try {
      sender = { client: await this.clients.forTeam(teamId, { fresh: true }) };
    } catch (err) {
      sender = { failure: classify(err) };
    }
    return { post: (channel, msg) => this.post(sender, channel, msg), update: (target, msg) => this.update(sender, teamId, target, msg) };
  }

  /**
   * Posts once the channel's gate opens. A wait of up to about one interval (a job woken a
   * little before its slot) is spent here; a longer one (a 429 pause) goes back to the caller
   * as 'ratelimited', so the job waits as a delayed job instead of holding a worker.
   */
  private async post(sender: Sender, channel: string, msg: OutboundMessage): Promise<PostOutcome> {
    if ('failure' in sender) return sender.failure;
    const { client } = sender;
    for (;;) {
      const wait = await this.pacer.gate(channel);
      if (wait === 0) break;
      if (wait > this.pacer.intervalMs + 250) return { kind: 'ratelimited', retryAfterMs: wait };
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      const res = await client.chat.postMessage({
        channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
        metadata: { event_type: METADATA_EVENT, event_payload: { outbox_id: msg.outboxId, kind: msg.kind } },
        unfurl_links: false,
      });
      await this.answered(channel);
      const posted = { kind: 'posted' as const, channel: res.channel ?? channel, ts: res.ts ?? '' };
      await this.share(client, posted.channel, msg.files ?? []);
      return posted;
    } catch (err) {
      await this.answered(channel);
      const outcome = classify(err);
      if (outcome.kind === 'ratelimited') {
        this.metrics?.rateLimited.inc({ method: 'chat.postMessage' });
        await this.pacer.pause(channel, outcome.retryAfterMs);
      }
      return outcome;
    }
  }

  /** The channel's pace counts from Slack's answer (see ChannelPacer.answered); Redis failing here costs only the spacing. */
  private async answered(channel: string): Promise<void> {
    await this.pacer.answered(channel).catch(() => undefined);
  }

  /**
   * Files that go with a post, shared right after it. The post is already in the channel: a
   * failed upload is told to the log and dropped (at most once), never a reason to post again.
   */
  private async share(client: WebClient, channel: string, files: MessageFile[]): Promise<void> {
    for (const f of files) {
      try {
        await uploadFile(client, { channel, filename: f.filename, title: f.title, alt: f.alt, bytes: f.bytes });
      } catch (err) {
        this.onFileError?.(f.filename, classify(err));
      }
    }
  }

  /** Takes the update lane's next slot for this job (see updateLane). */
  reserveUpdate(teamId: string, jobId: string): Promise<Reservation> {
    return this.pacer.reserve(updateLane(teamId), jobId);
  }

  /**
   * Replaces a message docket posted (`channel`: the conversation id Slack answered the post
   * with, a D… id for a direct message) once the lane's gate opens; a 429 pauses the lane.
   * The message's metadata is left as it is: it still names its outbox row.
   */
  private async update(sender: Sender, teamId: string, target: { channel: string; ts: string }, msg: { text: string; blocks?: KnownBlock[] }): Promise<UpdateOutcome> {
    if ('failure' in sender) return sender.failure.kind === 'refused' && UPDATE_PERMANENT_ERRORS.has(sender.failure.code) ? { kind: 'permanent', code: sender.failure.code } : sender.failure;
    const { client } = sender;
    const lane = updateLane(teamId);
    for (;;) {
      const wait = await this.pacer.gate(lane);
      if (wait === 0) break;
      if (wait > this.pacer.intervalMs + 250) return { kind: 'ratelimited', retryAfterMs: wait };
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      await client.chat.update({ channel: target.channel, ts: target.ts, text: msg.text, ...(msg.blocks ? { blocks: msg.blocks } : {}) });
      return { kind: 'updated' };
    } catch (err) {
      const outcome = classify(err);
      if (outcome.kind === 'ratelimited') {
        this.metrics?.rateLimited.inc({ method: 'chat.update' });
        await this.pacer.pause(lane, outcome.retryAfterMs);
      }
      if (outcome.kind === 'refused' && UPDATE_PERMANENT_ERRORS.has(outcome.code)) return { kind: 'permanent', code: outcome.code };
      return outcome;
    }
  }

  /**
   * Looks for a message an earlier attempt posted for this outbox row. Answers the message, or
   * null when there is none, or throws when Slack cannot tell (the caller decides).
   */
  async findPosted(teamId: string, channel: string, outboxId: number, sinceMs: number): Promise<{ channel: string; ts: string } | null> {
    const client = await this.clients.forTeam(teamId, { fresh: true });
    const target = isUserId(channel) ? (await client.conversations.open({ users: channel })).channel?.id : channel;
    if (!target) return null;
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await client.conversations.history({
        channel: target,
        oldest: (Math.max(0, sinceMs) / 1000).toFixed(6),
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const hit = res.messages?.find((m) => carriesRow(m, outboxId));
      if (hit?.ts) return { channel: target, ts: hit.ts };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return null;
    }
    return null;
  }
}
