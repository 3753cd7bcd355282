import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { admitRequest } from '../../src/db/inbox.repo.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-item.js';
import { VIEWS } from '../../src/slack/blocks/case-modals.js';
import { Inbox, MAX_TAKEOVERS } from '../../src/slack/inbox.js';
import type { Intake } from '../../src/slack/intake.js';
import { requestKeyOf } from '../../src/slack/intake.js';
import { TEAM, useHarness } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';

/**
 * The request inbox, in the situations the happy path never meets: requests taken over from a
 * process that died (a form and a button, which have no Bolt context left), one that keeps
 * killing its processes, a process shutting down with work still queued, and an insert too
 * slow for Slack's 3 s.
 */
// Every sweep here is called by the test: the harness's own timer would race it for the rows it
// hands back (it took 'b' and 'c' in a CI run, between close() and the assertion).
const h = useHarness({ group: true, env: { INBOX_SWEEP_MS: '600000' } });

const inbox = () => h.docket.inbox;
const rows = () => h.db.selectFrom('request_inbox').selectAll().orderBy('id').execute();

/** A request as a process that died right after recording it would have left it: lease over. */
async function abandoned(intake: Intake, attempts = 0): Promise<number> {
  const r = await admitRequest(h.intakeDb, { teamId: TEAM, key: requestKeyOf(intake), kind: intake.kind, payload: intake, nonce: 'n', leaseMs: 0, owner: 'dead-process' });
  if (r === 'duplicate') throw new Error('duplicate');
  await h.db.updateTable('request_inbox').set({ attempts }).where('id', '=', r.id).execute();
  return r.id;
}

const ephemeralsTo = (user: string) => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.ok);

describe('requests taken over from a process that died', () => {
  it('a submitted form is checked and carried out again, and answered late in the channel', async () => {
    await h.command('/case open Zhou');
    await abandoned({
      kind: 'view',
      callbackId: VIEWS.note,
      viewId: 'V0DEADNOTE',
      teamId: TEAM,
      userId: 'U0ALICE',
      values: { note: 'Shanghai police called back' },
      privateMetadata: JSON.stringify({ channel: 'C0GROUP', ref: 'GZ-2026-001' }),
    });
    expect(await inbox().sweep()).toBe(1);
    await until(async () => (await rows()).every((r) => r.state === 'done') || undefined);
    const notes = await h.db.selectFrom('audit_events').select('after').where('kind', '=', 'case.note').execute();
    expect(notes).toEqual([{ after: { text: 'Shanghai police called back' } }]);
    const reply = ephemeralsTo('U0ALICE').at(-1);
    expect(String(reply?.args.text)).toContain('Late answer');
    expect(String(reply?.args.text)).toContain('Note added');
  });

  it('a button click is carried out once, even when its first run had already made the change', async () => {
    await h.command('/case open Zhou');
    await h.command('/action add GZ-2026-001 Call Shanghai police owner:<@U0CARLOS|carlos> due:2030-01-01 17:00');
    const click: Intake = { kind: 'button', actionId: ITEM_ACTIONS.done, value: '1', teamId: TEAM, userId: 'U0CARLOS', channelId: 'C0GROUP', triggerId: '1.2.deadclick' };
    // The first run made the change and died before answering or marking the request done.
    const first = await h.click(ITEM_ACTIONS.done, '1', { user: 'U0CARLOS', triggerId: click.triggerId });
    expect(first.text).toContain('#1 Call Shanghai police — done by <@U0CARLOS>');
    await h.db.updateTable('request_inbox').set({ state: 'received', lease_until: new Date(0), lease_owner: 'dead-process' }).where('key', '=', requestKeyOf(click)).execute();
    expect(await inbox().sweep()).toBe(1);
    await until(async () => (await rows()).every((r) => r.state === 'done') || undefined);
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'action.done').execute()).toHaveLength(1);
    const late = h.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === click.triggerId).at(-1);
    expect(String(late?.args.text)).toContain('carried this out before it was restarted');
  });

  it('a request whose runs keep dying with their process is given up after a few takeovers, and the person told', async () => {
    const trigger = h.fake.mintTrigger();
    const id = await abandoned(
      { kind: 'command', command: '/case', text: 'list', teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: trigger, responseUrl: h.fake.responseUrl(trigger) },
      MAX_TAKEOVERS,
    );
    expect(await inbox().sweep()).toBe(1);
    await until(async () => (await rows()).find((r) => r.id === id)?.state === 'failed' || undefined);
    const reply = h.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === trigger).at(-1);
    expect(String(reply?.args.text)).toContain('could not carry out your request');
  });

  it('a process never takes over a request it is still working on, however late its lease', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const ran: string[] = [];
    const slow = new Inbox({
      db: h.intakeDb,
      log: pino({ level: 'silent' }),
      config: { concurrency: 2, queueMax: 10, leaseMs: 60_000, sweepMs: 60_000, drainMs: 1000, runIn: 'web' },
      execute: async (i) => {
        ran.push(requestKeyOf(i));
        await gate;
        return 'done';
      },
    });
    const intake: Intake = { kind: 'command', command: '/case', text: 'list', teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: '1.2.slow' };
    const admitted = await slow.admit(intake, 2000);
    if (admitted.kind !== 'admitted') throw new Error(admitted.kind);
    const work = slow.process(admitted.id, intake, { late: false });
    await until(() => ran.length === 1);
    await h.db.updateTable('request_inbox').set({ lease_until: new Date(0) }).where('id', '=', admitted.id).execute();
    expect(await slow.sweep()).toBe(0);
    expect(slow.process(admitted.id, intake, { late: true })).toBe(work);
    release();
    await work;
    expect(ran).toEqual(['cmd:1.2.slow']);
    expect((await rows())[0]!.state).toBe('done');
  });

  it('shutting down past the drain time: queued requests are handed back unstarted, for another process to run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const closing = new Inbox({
      db: h.intakeDb,
      log: pino({ level: 'silent' }),
      config: { concurrency: 1, queueMax: 10, leaseMs: 60_000, sweepMs: 60_000, drainMs: 100, runIn: 'web' },
      execute: async (i) => {
        started.push(requestKeyOf(i));
        await gate;
        return 'done';
      },
    });
    const works: Promise<void>[] = [];
    for (const t of ['a', 'b', 'c']) {
      const intake: Intake = { kind: 'command', command: '/case', text: 'list', teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: `1.2.${t}` };
      const admitted = await closing.admit(intake, 2000);
      if (admitted.kind !== 'admitted') throw new Error(admitted.kind);
      works.push(closing.process(admitted.id, intake, { late: false }));
    }
    await closing.close();
    release();
    await Promise.all(works);
    expect(started).toEqual(['cmd:1.2.a']);
    const left = (await rows()).filter((r) => r.state === 'received');
    expect(left.map((r) => r.key)).toEqual(['cmd:1.2.b', 'cmd:1.2.c']);
    expect(left.every((r) => r.lease_owner === null && r.lease_until.getTime() <= Date.now())).toBe(true);
    // Another process takes them over at once.
    expect(await inbox().sweep()).toBe(2);
  });
});

describe('recording a request too slowly for Slack', () => {
  it('says it cannot confirm the request was recorded, changes nothing twice, and takes the retry', async () => {
    await h.command('/case open Zhou');
    const blocker = new pg.Client({ connectionString: h.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table request_inbox in exclusive mode');
    try {
      const r = await h.command('/case note GZ-2026-001 while the inbox is locked');
      expect(JSON.parse(r.body).text).toContain('could not confirm in time');
    } finally {
      await blocker.query('commit');
      await blocker.end();
    }
    const again = await h.command('/case note GZ-2026-001 while the inbox is locked');
    expect(again.text).toContain('Note added');
    await inbox().sweep();
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'case.note').execute()).toHaveLength(1);
  });
});
