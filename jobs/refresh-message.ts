import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { kindLabel } from '../src/lib/metrics.js';
import { refreshSent } from '../src/platform/outbox/refresh.js';
import { refreshTarget } from '../src/platform/outbox/refresh.repo.js';
import { readerMessages, wait } from './deliver-outbox.js';
import type { JobContext, JobHandler } from './types.js';

/**
 * Brings a message docket sent up to date with its subject, after a change to it (see
 * src/platform/outbox/refresh.ts): one job per message and change, holding ids only.
 *
 * 1. Already showing that change or a later one, or given up: nothing to do.
 * 2. Reserve the workspace's update lane (chat.update is limited per method); not now → wait
 *    as a delayed job.
 * 3. Render from the subject as it is now, under its lock, and chat.update the message in the
 *    reader's language. A 429 waits for Retry-After; a message Slack will never let us update
 *    (deleted, archived…) is given up quietly and never tried again; a passing failure retries
 *    with back-off, and after that the reconciler tries again.
 */
const payload = z.object({
  outboxId: z.number().int().positive(),
  /** The change of its subject this job was enqueued for. */
  version: z.number().int().positive(),
});
export type RefreshMessage = z.infer<typeof payload>;

async function run(p: RefreshMessage, { job, token, deps }: JobContext): Promise<void> {
  const { db, clock, log, outbound } = deps;
  const fields = { job: job.id, outbox: p.outboxId };
  const target = await refreshTarget(db, p.outboxId);
  if (!target || target.state !== 'sent' || target.update_error !== null || target.shown_version >= p.version) {
    log.debug({ ...fields, state: target ? 'current' : 'gone' }, 'refresh skipped');
    return;
  }
  const turn = await outbound.reserveUpdate(target.team_id, String(job.id));
  if (!turn.go) await wait(job, token, turn.slot);
  const m = await readerMessages(deps, target.team_id, target.channel, target.groupLocale);
  const result = await refreshSent(db, await outbound.to(target.team_id), deps.kinds, { id: target.id, kind: target.kind, m, now: clock.now() });
  // Ids and codes only: never the message's text.
  deps.metrics.updates.inc({ kind: kindLabel(target.kind), outcome: result.kind });
  log.info({ ...fields, team: target.team_id, kind: target.kind, outcome: result.kind, ...('code' in result ? { code: result.code } : {}), ...('version' in result ? { version: result.version } : {}) }, 'refresh');
  switch (result.kind) {
    case 'updated':
    case 'current':
    case 'gone':
    case 'permanent':
      return;
    case 'ratelimited':
      return wait(job, token, Date.now() + result.retryAfterMs);
    case 'refused':
    case 'uncertain':
      throw new Error(result.code);
    case 'unknown_kind':
      throw new UnrecoverableError('unknown_kind');
  }
}

/** Out of attempts: the row stays stale, and the reconciler enqueues it again (for up to a day). */
export const refreshMessage: JobHandler<RefreshMessage> = {
  parse: (data) => payload.parse(data),
  run,
};
