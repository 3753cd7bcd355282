import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { blockActionPayload, commandBody, interactionBody } from '../../src/slack/fake/sender.js';
import { TEAM, useHarness } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * REQUESTS_RUN_IN=worker: the web side records and acknowledges each request and hands it to
 * the runners (a worker's part), which are told at once through Postgres NOTIFY. The sweep
 * that would otherwise find the requests is set to ten minutes here, so every answer below
 * came through the notification (or the catch-up sweep a runner makes when it starts
 * listening). Requests it runs answer as the web side would have: live, within Slack's time.
 */
const h = useHarness({ group: true, env: { REQUESTS_RUN_IN: 'worker', INBOX_SWEEP_MS: '600000', HANDLER_QUEUE_MAX: '3' } });

const cases = () => h.db.selectFrom('cases').selectAll().orderBy('id').execute();
const handedOff = (key: string) => h.logs.lines.some((l) => l.msg === 'taking a handed-off request' && l.key === key);

/** A command sent and acknowledged, without waiting for its answer. */
async function sendOnly(text: string, trigger: string) {
  const body = commandBody({ command: '/case', text, teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: trigger, responseUrl: h.fake.responseUrl(trigger) });
  return h.post(body, 'application/x-www-form-urlencoded');
}

describe('requests run by the workers', () => {
  it('a command is acknowledged by the web side and carried out by a runner, answered live', async () => {
    expect(h.docket.inbox.runsWhatItReceives).toBe(false);
    const r = await h.command('/case open Zhou');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.text).toContain('Opened *GZ-2026-001*');
    expect(r.text).not.toContain('Late answer');
    expect(handedOff(`cmd:${r.triggerId}`)).toBe(true);
    expect(await cases()).toHaveLength(1);
  });

  it('a command that opens a form opens it, its trigger id still good; the form checks before its ack, and a double submit opens one case', async () => {
    const r = await h.command('/case open');
    const view = h.openedView(r.triggerId);
    const bad = await h.submit(view, { title: 'Zhou', opened: '2026-01-05', since: '2099-01-01' });
    expect(bad.body).toMatchObject({ response_action: 'errors', errors: { since: expect.stringContaining('future') } });
    expect(await cases()).toHaveLength(0);
    const good = { title: 'Zhou, cross-region case', opened: '2026-01-05' };
    const both = await Promise.all([h.submit(view, good), h.submit(view, good, { retryNum: 1 })]);
    expect(both.map((b) => b.status)).toEqual([200, 200]);
    expect((await cases()).map((c) => c.title)).toEqual(['Zhou, cross-region case']);
  });

  it('with every runner down, requests are kept, new ones refused once too many wait, and the kept ones answered when a runner is back', async () => {
    await h.stopRunner();
    const kept = await Promise.all(['Zhou', 'Wu', 'Zheng'].map((name, i) => sendOnly(`open ${name}`, `kept.${i}`)));
    expect(kept.map((k) => [k.status, k.text])).toEqual([
      [200, ''],
      [200, ''],
      [200, ''],
    ]);
    // The web side learns how many wait from its next reading (every half second).
    await until(() => h.docket.inbox.full || undefined);
    const refused = await sendOnly('open Qian', 'refused.0');
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('docket is busy');
    expect(await cases()).toHaveLength(0);

    h.startRunner();
    await until(async () => ((await cases()).length === 3 ? true : undefined));
    expect((await cases()).map((c) => c.title).sort()).toEqual(['Wu', 'Zheng', 'Zhou']);
    await until(async () => ((await h.db.selectFrom('request_inbox').select('state').where('state', '=', 'received').execute()).length === 0 ? true : undefined));
    const answered = h.fake.calls.filter((c) => c.method === 'response_url' && String(c.args.response_id).startsWith('kept.'));
    expect(answered).toHaveLength(3);
    expect(h.fake.calls.some((c) => c.method === 'response_url' && c.args.response_id === 'refused.0')).toBe(false);
    // Nothing waits now: the web side takes requests again from its next reading (the next test's setup would be refused before it).
    await until(() => (h.docket.inbox.full ? undefined : true));
    expect((await h.command('/case open Qian')).text).toContain('Opened');
  });

  it('overloaded, the web side acks every press at once and tells at most ten people at a time that it is busy', async () => {
    await h.command('/case open Zhou');
    await h.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0BAO|bao> due:2030-01-01 17:00');
    await h.stopRunner();
    await Promise.all(['Wu', 'Zheng', 'Qian'].map((name, i) => sendOnly(`open ${name}`, `fill.${i}`)));
    await until(() => h.docket.inbox.full || undefined);
    // Slack answers response_urls slowly: the first notices are still on their way when the rest are refused.
    h.fake.inject({ method: 'response_url', delayMs: 1500, times: 100 });
    const from = h.logs.lines.length;
    const press = (i: number) =>
      h.post(interactionBody(blockActionPayload({ teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: `press.${i}`, responseUrl: h.fake.responseUrl(`press.${i}`), actionId: ITEM_ACTIONS.done, value: '1' })), 'application/x-www-form-urlencoded');
    const acks = await Promise.all(Array.from({ length: 15 }, (_, i) => press(i)));
    expect(acks.map((a) => [a.status, a.text])).toEqual(Array.from({ length: 15 }, () => [200, '']));
    const told = () => h.fake.calls.filter((c) => c.method === 'response_url' && String(c.args.response_id).startsWith('press.'));
    await until(() => (told().length === 10 ? true : undefined));
    expect(new Set(told().map((c) => String(c.args.text)))).toEqual(new Set([expect.stringContaining('docket is busy')]));
    expect(h.logs.lines.slice(from).filter((l) => l.msg === 'refusal notice dropped')).toHaveLength(5);
    h.fake.clearFaults();
    h.startRunner();
    await until(async () => ((await cases()).length === 4 ? true : undefined));
    await until(() => (h.docket.inbox.full ? undefined : true));
    expect(await h.db.selectFrom('action_items').select('state').execute()).toEqual([{ state: 'open' }]);
  });

  it('a runner whose listening connection is cut listens again and answers what came meanwhile', async () => {
    const from = h.logs.lines.length;
    const cut = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN%'`.execute(h.db);
    expect(cut.rows[0]!.n).toBe(1);
    await h.logs.waitFor((l) => l.msg === 'listening connection lost', from);
    const r = await h.command('/case open Zhou');
    expect(r.text).toContain('Opened *GZ-2026-001*');
    await until(async () => {
      const listening = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`.execute(h.db);
      return listening.rows[0]!.n === 1 || undefined;
    });
    const again = await h.command('/case open Wu');
    expect(again.text).toContain('Opened *GZ-2026-002*');
  });
});
