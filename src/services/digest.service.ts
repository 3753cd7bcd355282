import { insertOutbox } from '../platform/outbox/outbox.repo.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import { record } from '../features/timeline.js';
import { digestRow, digestTimeOf, syncDigestSchedule, type DigestTime } from '../features/digest/weekly.js';
import { authorize, mutate, type Mutation, type Reader, type Scope, type ServiceContext } from './scope.js';

/** When the group's digest is posted, and whether it is. */
export function digestSettings(ctx: Reader, scope: Scope): Promise<DigestTime & { enabled: boolean }> {
  authorize(scope, 'read');
  return digestTimeOf(ctx.db, scope.group.id);
}

/** Sets the digest's day and time (turning it on), or turns it off (coordinators), with an audit entry. */
export function setDigest(ctx: ServiceContext, scope: Scope, change: { time: DigestTime } | { enabled: false }): Promise<Mutation<DigestTime & { enabled: boolean }>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  return mutate(ctx, async (trx) => {
    // The group's row orders concurrent changes to its digest (and to its zone).
    const group = await trx.selectFrom('groups').selectAll().where('id', '=', scope.group.id).forUpdate().executeTakeFirstOrThrow();
    const before = await digestTimeOf(trx, group.id);
    await syncDigestSchedule(trx, group, now, 'time' in change ? { time: change.time, enabled: true } : { enabled: false });
    const after = await digestTimeOf(trx, group.id);
    await record(trx, { teamId: ctx.teamId, groupId: group.id, actor: ctx.userId }, { kind: 'digest.settings', before, after });
    return after;
  });
}

/** Posts this week's digest to the channel now (coordinators): once per request, however often Slack sends it. */
export function postDigestNow(ctx: ServiceContext, scope: Scope): Promise<Mutation<Scheduled[]>> {
  authorize(scope, 'govern');
  const now = ctx.clock.now();
  return mutate(ctx, (trx) => insertOutbox(trx, [digestRow(scope.group, now, `now:${ctx.requestKey ?? now.toISOString()}`, now)]));
}
