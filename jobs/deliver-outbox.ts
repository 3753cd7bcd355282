import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { messagesFor } from '../src/i18n/index.js';
import { recordRecovered } from '../src/platform/outbox/engine.js';
import { classify, PERMANENT_ERRORS } from '../src/platform/outbox/outbound.js';
import { expireClaim, findOutboxRow, markFailed, noteHistoryFailure, yieldClaim, type Claim } from '../src/platform/outbox/outbox.repo.js';
import { isUserId } from '../src/slack/ids.js';
import { kindLabel } from '../src/lib/metrics.js';
import type { JobContext, JobHandler, WorkerDeps } from './types.js';

/**
 * Delivers the outbox's messages, exactly once each, whatever their kind. A job exists per
 * row and holds ids only: the row's, and the Slack channel it goes to (so that waiting for the
 * channel's turn costs no database work); everything else is read from Postgres, which has the
 * last word.
 *
 * 1. Reserve the channel's slot (≈1 post/s/channel); not now → wait as a delayed job,
 *    holding no worker. Thousands of messages due at once mostly take this path first.
 * 2. Claim the channel's next message due (check-and-set, with a lease): not necessarily this
 *    job's own row, so one channel's messages go out in order whichever job gets its turn.
 *    Each job settles one row (posts it, or finds it no longer wanted, or records Slack's
 *    refusal) and only runs once its own row is due; there is a job per row, so every row is
 *    settled by some job. Nothing to claim: this job's row went out, was cancelled or failed
 *    (done), a live attempt holds it (wait for its lease), or it is not due yet (wait).
 * 3. Taken over from a dead attempt → look in Slack for the message it may have posted, and
 *    record that instead of posting again. When Slack's history cannot be read, check again a
 *    few times (see HISTORY_RECHECK_MS), then post marked as a possible repeat.
 * 4. Post and record under lock (see deliverClaimed); the row's kind says what it says.
 */
const payload = z.object({
  outboxId: z.number().int().positive(),
  /** A user id (direct message) or channel id: where the message goes, and whose turn it waits for. */
  channel: z.string().regex(/^[A-Z0-9]{1,40}$/),
});
export type DeliverOutbox = z.infer<typeof payload>;

/** A job's due time may be ahead of the app's clock by this much (timer granularity) and still go. */
const EARLY_MS = 1000;
/** A message that Slack keeps failing to take (not refusing for good) is given up this late. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;

/**
 * After a failed read of Slack's history, how long to wait before each further check; when
 * they are used up (counted on the row), the message is posted marked as a possible repeat.
 * Four checks over about a minute and a half ride out a brief Slack hiccup, yet a message
 * no longer waits on a history that may never become readable (it used to stay claimed for
 * up to a day, then be dropped). A 429 is not a failed check: it waits for Retry-After.
 */
export const HISTORY_RECHECK_MS: readonly number[] = [5_000, 20_000, 60_000];

/** A job waiting out a claim it holds wakes this long after the hold ends (clocks of app and database differ a little). */
const HOLD_MARGIN_MS = 500;

export async function wait(job: Job, token: string | undefined, untilMs: number): Promise<never> {
  await job.moveToDelayed(Math.ceil(untilMs), token);
  throw new DelayedError();
}


/**
 * An attempt died between claiming and recording. Did its post reach Slack? Answers the post
 * if history shows it (`found`, null when it is not there), or, once history has failed to
 * answer HISTORY_RECHECK_MS.length + 1 times or refused for good, why it cannot be known
 * (`unverified`). Before that, the job waits for the next check.
 */
async function findEarlierPost(
  { job, token, deps }: JobContext,
  claim: Claim,
  owned: { id: number; token: string },
): Promise<{ found: { channel: string; ts: string } | null } | { unverified: string } | { lost: true }> {
  const { db, log, outbound } = deps;
  const { row } = claim;
  const fields = { job: job.id, outbox: row.id };
  // Search from a point that does not move: a post never goes out before its time (less
  // EARLY_MS), nor before the claim that an earlier attempt's lease started with. Each retry
  // of this step moves previousLease forward, so it alone would let the post slip out of view.
  const since = Math.min(row.fire_at.getTime() - EARLY_MS, (claim.previousLease?.getTime() ?? Infinity) - deps.leaseMs) - 60_000;
  try {
    return { found: await outbound.findPosted(row.team_id, row.channel, row.id, since) };
  } catch (err) {
    const failure = classify(err);
    if (failure.kind === 'ratelimited') {
      // Slack said when to ask again: waiting for that is not a failed check. The claim is held
      // until then, so that no other attempt (the channel's next job, a re-run) asks sooner;
      // this one wakes just after it ends.
      await expireClaim(db, owned, 'ratelimited', failure.retryAfterMs);
      deps.metrics.rateLimited.inc({ method: 'conversations.history' });
      log.info({ ...fields, retryAfterMs: failure.retryAfterMs }, 'history rate limited');
      return wait(job, token, Date.now() + failure.retryAfterMs + HOLD_MARGIN_MS);
    }
    // A refusal for good (missing history scope…) will not change by asking again.
    if (failure.kind === 'permanent') {
      log.warn({ ...fields, code: failure.code, then: 'post' }, 'history unreadable');
      return { unverified: failure.code };
    }
    const failures = await noteHistoryFailure(db, owned, failure.code);
    if (failures === undefined) return { lost: true };
    const recheckMs = HISTORY_RECHECK_MS[failures - 1];
    if (recheckMs === undefined) {
      log.warn({ ...fields, code: failure.code, failures, then: 'post' }, 'history unreadable');
      return { unverified: failure.code };
    }
    log.warn({ ...fields, code: failure.code, failures, then: 'recheck', retryInMs: recheckMs }, 'history unreadable');
    await expireClaim(db, owned, failure.code);
    return wait(job, token, Date.now() + recheckMs);
  }
}

/** This job's own row could not be claimed: why, and when to look again (undefined: nothing more to do). */
async function retryAfter(deps: WorkerDeps, id: number, dueBy: Date): Promise<{ state: string; at?: number }> {
  const own = await findOutboxRow(deps.db, id);
  if (!own || own.state === 'sent' || own.state === 'cancelled' || own.state === 'failed') return { state: own?.state ?? 'gone' };
  // Someone holds a live claim (another worker mid-post, or our own attempt that timed out): come back when it lapses.
  if (own.state === 'claimed' && own.lease_until && own.lease_until.getTime() > Date.now()) return { state: 'held', at: own.lease_until.getTime() + 50 };
  // Not due yet by the app's clock (a job promoted early never posts early).
  if (own.fire_at > dueBy) return { state: 'early', at: Date.now() + (own.fire_at.getTime() - dueBy.getTime()) + EARLY_MS };
  // Due, but another claimer had it locked at that instant: look again in a moment.
  return { state: 'busy', at: Date.now() + 100 };
}

/**
 * The claim was taken over by another attempt (ours had lapsed): this job settled no row. When
 * that row was not its own, its own still needs a turn (there is one job per row), so it goes
 * round again instead of leaving it to the reconciler.
 */
function settledNothing(job: Job, token: string | undefined, ownStillWaits: boolean): Promise<void> {
  return ownStillWaits ? wait(job, token, Date.now()) : Promise.resolve();
}

/** The reader's catalog: the recipient's Slack locale for a direct message, the group's for its channel. */
export async function readerMessages(deps: WorkerDeps, teamId: string, channel: string, groupLocale: string) {
  if (!isUserId(channel)) return messagesFor(groupLocale);
  return messagesFor((await deps.lookups.forTeam(teamId).user(channel))?.locale ?? groupLocale);
}

async function run(p: DeliverOutbox, { job, token, deps }: JobContext): Promise<void> {
  const { db, clock, log, outbound } = deps;
  const started = performance.now();
  // How long after its first (real-time) due moment BullMQ handed the job over.
  const pickupMs = Date.now() - (job.timestamp + (job.opts.delay ?? 0));
  const fields = { job: job.id, outbox: p.outboxId };

  const turn = await outbound.reserve(p.channel, String(job.id));
  if (!turn.go) await wait(job, token, turn.slot);

  const claimToken = `${deps.workerId}/${randomUUID()}`;
  const now = clock.now();
  const dueBy = new Date(now.getTime() + EARLY_MS);
  const claim = await deps.delivery.claim({ channel: p.channel, dueBy, token: claimToken });
  if (!claim) {
    const next = await retryAfter(deps, p.outboxId, dueBy);
    log.debug({ ...fields, state: next.state }, 'outbox row skipped');
    if (next.at !== undefined) await wait(job, token, next.at);
    return;
  }
  const { row } = claim;
  const delivered = { ...fields, outbox: row.id, team: row.team_id, kind: row.kind, ...(row.id !== p.outboxId ? { for: p.outboxId } : {}) };
  const owned = { id: row.id, token: claimToken };

  // Why this post goes out without knowing whether a dead attempt's post reached Slack.
  let unverified: string | undefined;
  if (claim.previous === 'claimed') {
    const earlier = await findEarlierPost({ job, token, deps }, claim, owned);
    if ('lost' in earlier) {
      log.debug(delivered, 'outbox claim lost');
      return settledNothing(job, token, row.id !== p.outboxId);
    }
    if ('unverified' in earlier) unverified = earlier.unverified;
    else if (earlier.found) {
      const next = await recordRecovered(db, deps.kinds, { id: row.id, kind: row.kind, claimToken, found: earlier.found, now: clock.now(), lateAfterMs: deps.lateAfterMs });
      await deps.scheduler.schedule(next);
      deps.metrics.deliveries.inc({ kind: kindLabel(row.kind), outcome: 'recovered' });
      log.info({ ...delivered, outcome: 'recovered' }, 'delivery');
      return;
    }
  }

  const m = await readerMessages(deps, row.team_id, row.channel, claim.groupLocale);
  // The workspace's token is read here, before the delivery's transaction opens.
  const result = await deps.delivery.deliver({ id: row.id, kind: row.kind, claimToken, m, now: clock.now(), lateAfterMs: deps.lateAfterMs, via: await outbound.to(row.team_id), ...(unverified !== undefined ? { unverified } : {}) });
  // How late the job started (by the app's clock) and how long it took: numbers only.
  const timing = { lagMs: now.getTime() - row.fire_at.getTime(), pickupMs, tookMs: Math.round(performance.now() - started) };
  deps.metrics.deliveries.inc({ kind: kindLabel(row.kind), outcome: result.kind });
  // Lag: when it went out (the app's clock), less when it was due.
  if (result.kind === 'sent') deps.metrics.outboxLag.observe({ kind: kindLabel(row.kind) }, Math.max(0, clock.now().getTime() - row.fire_at.getTime()) / 1000);
  log.info({ ...delivered, outcome: result.kind, ...timing, ...('code' in result ? { code: result.code } : {}), ...(result.kind === 'sent' ? { late: result.late, ...(result.possibleRepeat ? { possibleRepeat: true } : {}) } : {}) }, 'delivery');
  switch (result.kind) {
    case 'sent':
      await deps.scheduler.schedule(result.next);
      return;
    case 'ratelimited':
      return wait(job, token, Date.now() + result.retryAfterMs);
    case 'permanent':
      // Recorded on the row; a job that posted another row than its own is done all the same.
      if (row.id !== p.outboxId) return;
      throw new UnrecoverableError(result.code);
    case 'refused':
    case 'uncertain':
      throw new Error(result.code);
    case 'unknown_kind':
      await yieldClaim(db, owned, claim.previous);
      throw new UnrecoverableError('unknown_kind');
    case 'lost':
      return settledNothing(job, token, row.id !== p.outboxId);
    case 'stale':
      return;
  }
}

export const deliverOutbox: JobHandler<DeliverOutbox> = {
  parse: (data) => payload.parse(data),
  run,
  /**
   * Out of attempts. A permanent refusal was already recorded. A passing failure (Slack down
   * for a few minutes, timeouts) is not a reason to drop a message: the row stays pending (or
   * claimed with its lease over) and the reconciler enqueues it again, until it is a day late.
   */
  async onGiveUp(p, code, deps) {
    const giveUpBefore = PERMANENT_ERRORS.has(code) ? undefined : new Date(deps.clock.now().getTime() - GIVE_UP_AFTER_MS);
    await markFailed(deps.db, p.outboxId, code, giveUpBefore);
  },
};
