import { describe, expect, it } from 'vitest';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { useHarness } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * What one request costs in statements to Postgres, through both of docket's pools, from the
 * signed request to its answer. The acknowledgement benchmark's CPU per request is mostly this
 * traffic (bench/RESULTS.md, "Issue 13: where it stands"), so a change that adds round trips
 * to the common paths shows here before it shows there. The bounds are the counts when this
 * test was written; lower them when a change saves one. The sweep and lease renewal are slowed
 * down so that no periodic query lands inside a measurement; requests run where they are
 * received (a handed-off request adds the runner's takeover).
 */
const h = useHarness({ group: true, env: { REQUESTS_RUN_IN: 'web', INBOX_SWEEP_MS: '600000', INBOX_LEASE_MS: '600000' } });

/** Statements sent while `act` ran, counted once the request's run has finished (its row marked done). */
async function statementsOf(act: () => Promise<unknown>): Promise<number> {
  const before = h.statements();
  await act();
  await until(() => (h.docket.inbox.load.running === 0 && h.docket.inbox.load.queued === 0) || undefined);
  return h.statements() - before;
}

describe('statements per request', () => {
  it('opening a case, adding an item by command and by form, and pressing its Done button', async () => {
    const open = await statementsOf(() => h.command('/case open Zhang, fled 2003'));
    const add = await statementsOf(() => h.command('/action add GZ-2026-001 Verify bank records due:tomorrow 17:00'));
    const formOpened = await h.click(ITEM_ACTIONS.add, 'GZ-2026-001');
    const view = h.openedView(formOpened.triggerId);
    const form = await statementsOf(() => h.submit(view, { text: 'Call the notary', due: 'tomorrow 17:00', owner: null, unit: null }));
    const done = await statementsOf(() => h.click(ITEM_ACTIONS.done, '1'));
    // Everything happened: two items, the first done.
    const items = await h.db.selectFrom('action_items').select(['id', 'state']).orderBy('id').execute();
    expect(items).toEqual([
      { id: 1, state: 'done' },
      { id: 2, state: 'open' },
    ]);
    expect({ open, add, form, done }).toEqual({ open: 10, add: 15, form: 15, done: 12 });
  });
});
