import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compose } from '../../src/features/feature.js';
import { features } from '../../src/features/index.js';
import { reminderRow } from '../../src/features/items/reminder-rows.js';
import { messagesFor } from '../../src/i18n/index.js';
import { ChannelPacer } from '../../src/platform/outbox/channel-pacer.js';
import { deliverBatch } from '../../src/platform/outbox/engine.js';
import { Outbound } from '../../src/platform/outbox/outbound.js';
import { singleToken, slackClients } from '../../src/slack/clients.js';
import { claimMany, insertOutbox } from '../../src/platform/outbox/outbox.repo.js';
import { Harness, TOKEN } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * Several deliveries in one transaction (deliverBatch): a statement that fails while recording
 * one of them must not take the others' records with it. The posts have gone out by then, so
 * a record lost is a message recovered later from Slack's history (after the lease, one history
 * read each), never a message lost; still, one row's trouble stays that row's.
 */
describe('one transaction delivering several messages', { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset();
    await h.setupGroup();
    await h.command('/case open Zhang, fled 2003');
    await h.command('/action add GZ-2026-001 Verify bank records due:next month');
    await h.command('/action add GZ-2026-001 Call the notary due:next month');
  });

  /** Claims these rows and delivers them as one batch; answers each row's outcome. */
  async function deliverTogether(rows: { id: number; channel: string }[]): Promise<string[]> {
    const due = new Date(Date.now() + 1000);
    const claims = await claimMany(h.db, rows.map((r, i) => ({ channel: r.channel, dueBy: due, token: `test/${i}` })), 30_000);
    expect(claims.map((c) => c?.row.id)).toEqual(rows.map((r) => r.id));
    const clients = slackClients(singleToken(TOKEN), { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const via = await new Outbound(clients, new ChannelPacer(h.redis, h.prefix, 0)).to('T0LOCAL');
    const inputs = claims.map((c, i) => ({ id: c!.row.id, kind: c!.row.kind, claimToken: `test/${i}`, m: messagesFor('en'), now: new Date(), lateAfterMs: 60_000, via }));
    return (await deliverBatch(h.db, compose(features).outbox, inputs)).map((a) => (a instanceof Error ? 'error' : a.kind));
  }

  /**
   * A change that locks `first` and then `second` (FOR UPDATE, on a connection of its own), with
   * a batch delivery starting in between: the batch must wait for `first` before it holds
   * anything the change needs next. Answers the batch's outcomes; a deadlock would fail the
   * change's second lock (Postgres aborts one side after deadlock_timeout) or the batch.
   */
  async function changeAcross(first: string, second: string, rows: { id: number; channel: string }[]): Promise<string[]> {
    return h.db.connection().execute(async (change) => {
      await sql`begin`.execute(change);
      await sql`set local lock_timeout = '10s'`.execute(change);
      await sql.raw(`${first} for update`).execute(change);
      const batch = deliverTogether(rows);
      // The batch is blocked on a lock the change holds (the first one, as it should be).
      await until(async () => Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db)).rows[0]!.n) > 0 || undefined);
      await sql.raw(`${second} for update`).execute(change);
      await sql`commit`.execute(change);
      return batch;
    });
  }

  it('locks several items in id order, as a change to several items does: the two wait for each other, never deadlock', async () => {
    const now = new Date();
    // Item 2's reminder is the older row: locked by row id, the batch would hold item 2 while waiting for item 1.
    const rows = await insertOutbox(h.db, [reminderRow({ id: 2, team_id: 'T0LOCAL', group_id: 1 }, 'due', now, 'U0ALICE'), reminderRow({ id: 1, team_id: 'T0LOCAL', group_id: 1 }, 'due', now, 'U0CARLOS')]);
    const answers = await changeAcross('select id from action_items where id = 1', 'select id from action_items where id = 2', rows);
    expect(answers).toHaveLength(2);
    expect(answers).not.toContain('error');
  });

  it('locks a case before its items, as closing the case does', async () => {
    const now = new Date();
    // The case's "opened" post (written by /case open) and a reminder of one of its items, in one batch.
    const opened = await h.db.selectFrom('outbox').select(['id', 'channel']).where('kind', '=', 'case.opened').executeTakeFirstOrThrow();
    const [reminder] = await insertOutbox(h.db, [reminderRow({ id: 1, team_id: 'T0LOCAL', group_id: 1 }, 'due', now, 'U0ALICE')]);
    const answers = await changeAcross('select id from cases where id = 1', 'select id from action_items where id = 1', [opened, reminder!]);
    expect(answers).toHaveLength(2);
    expect(answers).not.toContain('error');
  });

  it('records the others when recording one of them fails, and leaves that one claimed with its post to be found', async () => {
    const now = new Date();
    // Escalations: the kind that writes a timeline entry when sent. Item 2's entry will fail.
    const rows = await insertOutbox(h.db, [
      reminderRow({ id: 1, team_id: 'T0LOCAL', group_id: 1 }, 'escalation', now, 'U0ALICE'),
      reminderRow({ id: 2, team_id: 'T0LOCAL', group_id: 1 }, 'escalation', now, 'U0CARLOS'),
      reminderRow({ id: 1, team_id: 'T0LOCAL', group_id: 1 }, 'escalation', now, 'U0DANA'),
    ]);
    await sql`
      create or replace function pg_temp_fail_item2() returns trigger language plpgsql as $$
      begin
        if new.kind = 'action.escalated' and (new.after ->> 'id') = '2' then raise exception 'refused for the test'; end if;
        return new;
      end $$`.execute(h.db);
    await sql`create trigger fail_item2 before insert on audit_events for each row execute function pg_temp_fail_item2()`.execute(h.db);
    try {
      const claims = await claimMany(h.db, rows.map((r, i) => ({ channel: r.channel, dueBy: new Date(now.getTime() + 1000), token: `test/${i}` })), 30_000);
      expect(claims.map((c) => c?.row.id)).toEqual(rows.map((r) => r.id));
      const clients = slackClients(singleToken(TOKEN), { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
      const via = await new Outbound(clients, new ChannelPacer(h.redis, h.prefix, 0)).to('T0LOCAL');
      const answers = await deliverBatch(
        h.db,
        compose(features).outbox,
        claims.map((c, i) => ({ id: c!.row.id, kind: c!.row.kind, claimToken: `test/${i}`, m: messagesFor('en'), now: new Date(), lateAfterMs: 60_000, via })),
      );
      expect(answers.map((a) => (a instanceof Error ? 'error' : a.kind))).toEqual(['sent', 'error', 'sent']);
    } finally {
      await sql`drop trigger fail_item2 on audit_events`.execute(h.db);
    }
    const states = await h.db.selectFrom('outbox').select(['id', 'state', 'message_ts']).where('id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
    expect(states.map((s) => s.state)).toEqual(['sent', 'claimed', 'sent']);
    // All three reached Slack once; the unrecorded one is for the next attempt to find (delivery-crash.test.ts).
    for (const r of rows) expect(h.fake.messages.filter((m) => Number(m.metadata?.event_payload?.outbox_id) === r.id)).toHaveLength(1);
    const escalated = await h.db.selectFrom('audit_events').select('after').where('kind', '=', 'action.escalated').execute();
    expect(escalated).toHaveLength(2);
  });
});
