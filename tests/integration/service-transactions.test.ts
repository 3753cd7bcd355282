import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { transaction } from '../../src/db/transaction.js';
import { addItemIn, type NewItem } from '../../src/services/actions.service.js';
import { caseForActor } from '../../src/services/cases.service.js';
import type { ServiceContext } from '../../src/services/scope.js';
import { applySchedule } from '../../src/platform/outbox/scheduler.js';
import { jobIdOf, type BullOutboxScheduler } from '../../src/platform/outbox/queue.js';
import { Conflict } from '../../src/errors.js';
import { TEAM, useHarness } from '../helpers/harness.js';
import { sh } from '../helpers/reminders.js';

/**
 * A use case composed inside a caller's transaction (minutes adding their decisions as items):
 * all of it commits, or none of it, and the reminders are scheduled only after the commit.
 */
const clock = new ManualClock(sh('2026-12-01T10:00:00'));
const h = useHarness({ clock, group: true });

const ctx = (): ServiceContext => ({ ...h.docket.deps, teamId: TEAM, userId: 'U0ALICE' });
const count = async (table: 'action_items' | 'outbox') => {
  // The case's own "opened" post is in the outbox too: only the items' reminders count here.
  const q = table === 'outbox' ? h.db.selectFrom('outbox').select('id').where('kind', 'like', 'item.%') : h.db.selectFrom('action_items').select('id');
  return (await q.execute()).length;
};
const added = () => h.db.selectFrom('audit_events').select('kind').where('kind', '=', 'action.added').execute();

async function twoItems(then?: () => void): Promise<NewItem[]> {
  const { scope, case: c } = await caseForActor({ db: h.db, teamId: TEAM, userId: 'U0ALICE' }, 'GZ-2026-001', 'write');
  return transaction(h.db, async (trx) => {
    const first = await addItemIn(trx, ctx(), scope, { case: c, text: 'Ask Customs for exit records', owner: { userId: 'U0BAO' }, dueAt: sh('2026-12-04T17:00:00') });
    const second = await addItemIn(trx, ctx(), scope, { case: c, text: 'Draft the request to Interpol', owner: { userId: 'U0ALICE' }, dueAt: sh('2026-12-08T17:00:00') });
    then?.();
    return [first, second];
  });
}

beforeEach(async () => {
  clock.set(sh('2026-12-01T10:00:00'));
  await h.command('/case open Zhang, fled 2003');
});

describe('adding items inside a caller’s transaction', () => {
  it('commits the items, their timeline entries and their reminders together; the caller schedules them after the commit', async () => {
    const made = await twoItems();
    expect(await count('action_items')).toBe(2);
    expect(await added()).toHaveLength(2);
    // Reminders, and the direct message telling Bao the first item is theirs.
    const rows = await h.db.selectFrom('outbox').select(['id', 'subject_id', 'fire_at']).where('kind', 'like', 'item.%').execute();
    expect(new Set(rows.map((r) => r.subject_id))).toEqual(new Set(made.map((m) => m.item.id)));
    // Nothing is in Redis until the caller applies the changes, after its commit.
    const queue = (h.docket.deps.outbox as BullOutboxScheduler).queue;
    expect(await queue.getJob(jobIdOf(rows[0]!.id))).toBeUndefined();
    for (const m of made) await applySchedule(h.docket.deps.outbox, m.change);
    for (const r of rows) expect(await (await queue.getJob(jobIdOf(r.id)))?.getState()).toBe(r.fire_at > clock.now() ? 'delayed' : 'waiting');
  });

  it('leaves nothing behind when the caller fails after both were added', async () => {
    await expect(
      twoItems(() => {
        throw new Error('the minutes could not be saved');
      }),
    ).rejects.toThrow('the minutes could not be saved');
    expect(await count('action_items')).toBe(0);
    expect(await added()).toHaveLength(0);
    expect(await count('outbox')).toBe(0);
  });

  it('checks the rules under the case’s lock: a case closed before the caller’s transaction refuses, and the first item goes too', async () => {
    const { case: open } = await caseForActor({ db: h.db, teamId: TEAM, userId: 'U0ALICE' }, 'GZ-2026-001', 'write');
    const ask = await h.command('/case close GZ-2026-001 returned');
    await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value);
    const { scope } = await caseForActor({ db: h.db, teamId: TEAM, userId: 'U0ALICE' }, 'GZ-2026-001', 'write');
    // The caller still holds the row it read while the case was open: the rule reads it again, locked.
    const attempt = transaction(h.db, (trx) => addItemIn(trx, ctx(), scope, { case: open, text: 'Too late', owner: { userId: 'U0ALICE' }, dueAt: sh('2026-12-04T17:00:00') }));
    await expect(attempt).rejects.toBeInstanceOf(Conflict);
    expect(await count('action_items')).toBe(0);
  });
});
