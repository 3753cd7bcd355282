import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { claimForDelivery, type Claim } from '../src/db/delivery.repo.js';
import { expireClaim, findReminder, markFailed, noteHistoryFailure, yieldClaim } from '../src/db/reminders.repo.js';
import { messagesFor } from '../src/i18n/index.js';
import { isUserId } from '../src/slack/ids.js';
import { deliverClaimed, recordRecovered } from '../src/services/reminder-delivery.js';
import { classify, PERMANENT_ERRORS } from '../src/slack/outbound.js';
import type { JobContext, JobHandler, WorkerDeps } from './types.js';

/**
 * Delivers one reminder, exactly once. The payload holds ids only: the reminder's, and the
 * Slack channel it goes to (so that waiting for the channel's turn costs no database work);
 * everything else is read from Postgres, which has the last word.
 *
 * 1. Reserve the channel's slot (≈1 post/s/channel); not now → wait as a delayed job,
 *    holding no worker. Thousands of reminders due at once mostly take this path first.
 * 2. Claim the row in Postgres (check-and-set, with a lease). Not claimable: it went out, was
 *    cancelled or failed (nothing to do), or a live attempt holds it (wait for its lease).
 * 3. Not yet due by the app's clock → give the claim back and wait (a job promoted early
 *    never posts early).
 * 4. Taken over from a dead attempt → look in Slack for the message it may have posted, and
 *    record that instead of posting again. When Slack's history cannot be read, check again a
 *    few times (see HISTORY_RECHECK_MS), then post marked as a possible repeat.
 * 5. Post and record under lock (see deliverClaimed).
 */
const payload = z.object({
  reminderId: z.number().int().positive(),
  /** A user id (direct message) or channel id; jobs without it pace after claiming. */
  channel: z.string().regex(/^[A-Z0-9]{1,40}$/).optional(),
});
export type DeliverReminder = z.infer<typeof payload>;

/** A job's due time may be ahead of the app's clock by this much (timer granularity) and still go. */
const EARLY_MS = 1000;
/** A reminder that Slack keeps failing to take (not refusing for good) is given up this late. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;

/**
 * After a failed read of Slack's history, how long to wait before each further check; when
 * they are used up (counted on the row), the reminder is posted marked as a possible repeat.
 * Four checks over about a minute and a half ride out a brief Slack hiccup, yet a reminder
 * no longer waits on a history that may never become readable (it used to stay claimed for
 * up to a day, then be dropped). A 429 is not a failed check: it waits for Retry-After.
 */
export const HISTORY_RECHECK_MS: readonly number[] = [5_000, 20_000, 60_000];

async function wait(job: Job, token: string | undefined, untilMs: number): Promise<never> {
  await job.moveToDelayed(Math.ceil(untilMs), token);
  throw new DelayedError();
}


async function readerMessages(deps: WorkerDeps, channel: string, groupLocale: string) {
  if (!isUserId(channel)) return messagesFor(groupLocale);
  return messagesFor((await deps.lookup.user(channel))?.locale ?? groupLocale);
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
  const row = claim.reminder;
  const fields = { job: job.id, reminder: row.id };
  // Search from a point that does not move: a post never goes out before its time (less
  // EARLY_MS), nor before the claim that an earlier attempt's lease started with. Each retry
  // of this step moves previousLease forward, so it alone would let the post slip out of view.
  const since = Math.min(row.fire_at.getTime() - EARLY_MS, (claim.previousLease?.getTime() ?? Infinity) - deps.leaseMs) - 60_000;
  try {
    return { found: await outbound.findPosted(row.channel, row.id, since) };
  } catch (err) {
    const failure = classify(err);
    if (failure.kind === 'ratelimited') {
      // Slack said when to ask again: waiting for that is not a failed check.
      await expireClaim(db, owned, 'ratelimited');
      log.info({ ...fields, retryAfterMs: failure.retryAfterMs }, 'reminder history rate limited');
      return wait(job, token, Date.now() + failure.retryAfterMs);
    }
    // A refusal for good (missing history scope…) will not change by asking again.
    if (failure.kind === 'permanent') {
      log.warn({ ...fields, code: failure.code, then: 'post' }, 'reminder history unreadable');
      return { unverified: failure.code };
    }
    const failures = await noteHistoryFailure(db, owned, failure.code);
    if (failures === undefined) return { lost: true };
    const recheckMs = HISTORY_RECHECK_MS[failures - 1];
    if (recheckMs === undefined) {
      log.warn({ ...fields, code: failure.code, failures, then: 'post' }, 'reminder history unreadable');
      return { unverified: failure.code };
    }
    log.warn({ ...fields, code: failure.code, failures, then: 'recheck', retryInMs: recheckMs }, 'reminder history unreadable');
    await expireClaim(db, owned, failure.code);
    return wait(job, token, Date.now() + recheckMs);
  }
}

async function run(p: DeliverReminder, { job, token, deps }: JobContext): Promise<void> {
  const { db, clock, log, outbound } = deps;
  const started = performance.now();
  // How long after its first (real-time) due moment BullMQ handed the job over.
  const pickupMs = Date.now() - (job.timestamp + (job.opts.delay ?? 0));
  const fields = { job: job.id, reminder: p.reminderId };

  const jobId = String(job.id);
  if (p.channel) {
    const turn = await outbound.reserve(p.channel, jobId);
    if (!turn.go) await wait(job, token, turn.slot);
  }

  const claimToken = `${deps.workerId}/${randomUUID()}`;
  const claim = await claimForDelivery(db, p.reminderId, claimToken, deps.leaseMs);
  if (!claim) {
    const cur = await findReminder(db, p.reminderId);
    // Someone holds a live claim (another worker mid-post, or our own attempt that timed out): come back when it lapses.
    if (cur?.state === 'claimed' && cur.lease_until) await wait(job, token, Math.max(Date.now(), cur.lease_until.getTime()) + 50);
    log.debug({ ...fields, state: cur?.state ?? 'gone' }, 'reminder skipped');
    return;
  }
  const { reminder: row, ctx } = claim;
  const owned = { id: row.id, token: claimToken };

  const now = clock.now();
  const ahead = row.fire_at.getTime() - now.getTime();
  if (ahead > EARLY_MS) {
    await yieldClaim(db, owned, claim.previous);
    await wait(job, token, Date.now() + ahead);
  }
  if (row.channel !== p.channel) {
    const turn = await outbound.reserve(row.channel, jobId);
    if (!turn.go) {
      await yieldClaim(db, owned, claim.previous);
      await wait(job, token, turn.slot);
    }
  }

  // Why this post goes out without knowing whether a dead attempt's post reached Slack.
  let unverified: string | undefined;
  if (claim.previous === 'claimed') {
    const earlier = await findEarlierPost({ job, token, deps }, claim, owned);
    if ('lost' in earlier) {
      log.debug(fields, 'reminder claim lost');
      return;
    }
    if ('unverified' in earlier) unverified = earlier.unverified;
    else if (earlier.found) {
      const next = await recordRecovered(db, { reminderId: row.id, claimToken, found: earlier.found, now: clock.now(), lateAfterMs: deps.lateAfterMs });
      await deps.scheduler.schedule(next);
      log.info({ ...fields, outcome: 'recovered' }, 'reminder');
      return;
    }
  }

  const m = await readerMessages(deps, row.channel, ctx.locale);
  const result = await deliverClaimed(db, outbound, { reminderId: row.id, claimToken, ctx, m, now: clock.now(), lateAfterMs: deps.lateAfterMs, ...(unverified !== undefined ? { unverified } : {}) });
  // How late the job started (by the app's clock) and how long it took: numbers only.
  const timing = { lagMs: now.getTime() - row.fire_at.getTime(), pickupMs, tookMs: Math.round(performance.now() - started) };
  log.info({ ...fields, outcome: result.kind, ...timing, ...('code' in result ? { code: result.code } : {}), ...(result.kind === 'sent' ? { late: result.late, kind: row.kind, ...(result.possibleRepeat ? { possibleRepeat: true } : {}) } : {}) }, 'reminder');
  switch (result.kind) {
    case 'sent':
      await deps.scheduler.schedule(result.next);
      return;
    case 'ratelimited':
      return wait(job, token, Date.now() + result.retryAfterMs);
    case 'permanent':
      throw new UnrecoverableError(result.code);
    case 'refused':
    case 'uncertain':
      throw new Error(result.code);
    case 'lost':
    case 'stale':
      return;
  }
}

export const deliverReminder: JobHandler<DeliverReminder> = {
  parse: (data) => payload.parse(data),
  run,
  /**
   * Out of attempts. A permanent refusal was already recorded. A passing failure (Slack down
   * for a few minutes, timeouts) is not a reason to drop a reminder: the row stays pending (or
   * claimed with its lease over) and the reconciler enqueues it again, until it is a day late.
   */
  async onGiveUp(p, code, deps) {
    const giveUpBefore = PERMANENT_ERRORS.has(code) ? undefined : new Date(deps.clock.now().getTime() - GIVE_UP_AFTER_MS);
    await markFailed(deps.db, p.reminderId, code, giveUpBefore);
  },
};
