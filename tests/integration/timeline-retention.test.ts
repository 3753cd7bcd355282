import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pino from 'pino';
import { ManualClock } from '../../src/domain/clock.js';
import { transaction } from '../../src/db/transaction.js';
import { housekeep } from '../../src/queue/housekeeping.js';
import { Harness } from '../helpers/harness.js';

/**
 * TIMELINE_RETENTION_DAYS: the hourly housekeeping removes a closed case's timeline once no
 * entry of it was written for that long. Everything else about the timeline stays append-only.
 */
const clock = new ManualClock(new Date());
const DAY = 24 * 3600_000;
let h: Harness;
let start: number;
beforeAll(async () => {
  h = await Harness.start({ clock, workers: true, env: { TIMELINE_RETENTION_DAYS: '30' } });
});
afterAll(() => h.stop());
beforeEach(async () => {
  start = Date.now();
  clock.set(new Date(start)); // before the reset: the schedules it recreates count from the clock
  await h.reset();
  await h.setupGroup();
  await h.command('/case open Zhang, fled 2003');
  await h.command('/case open Li, fled 2011');
  await h.command('/case note GZ-2026-001 Sister called');
  await h.command('/case note GZ-2026-002 Seen in Chengdu');
});

/** Moves the clock, and runs what the schedules have due by then: the hourly housekeeping, once. */
async function at(t: number): Promise<void> {
  clock.set(new Date(t));
  await h.workers!.schedules.runOnce();
}

async function close(ref: string, rest = 'returned'): Promise<void> {
  const ask = await h.command(`/case close ${ref} ${rest}`);
  if (!ask.reply?.args.blocks) throw new Error(`no confirmation: ${ask.text}`);
  await h.click('case.close.confirm', ask.reply!.args.blocks[1].elements[0].value as string);
}

const caseId = async (ref: string) => (await h.db.selectFrom('cases').select('id').where('ref', '=', ref).executeTakeFirstOrThrow()).id;
const entries = async (ref: string) => (await h.db.selectFrom('audit_events').select('kind').where('case_id', '=', await caseId(ref)).execute()).map((e) => e.kind);
const groupEntries = async () => (await h.db.selectFrom('audit_events').select('kind').where('case_id', 'is', null).execute()).length;

describe('the retention of closed cases’ timelines', () => {
  it('removes a closed case’s timeline 30 days after its close was recorded, even one closed years ago; open cases, the group’s own entries and the case itself stay', async () => {
    // Opened in 2019 and closed "in 2021", typed in today: the clock runs from today.
    await h.command('/case edit GZ-2026-001 opened 2019-03-01');
    await close('GZ-2026-001', 'returned 2021-05-28 07:24 flown back from Lhasa');
    const closedTimeline = await entries('GZ-2026-001');
    expect(closedTimeline).toEqual(expect.arrayContaining(['case.opened', 'case.note', 'case.closed']));
    expect((await h.db.selectFrom('cases').select('closed_at').where('ref', '=', 'GZ-2026-001').executeTakeFirstOrThrow()).closed_at).toEqual(new Date('2021-05-28T07:24:00+08:00'));
    const openTimeline = await entries('GZ-2026-002');
    const group = await groupEntries();
    expect(group).toBeGreaterThan(0);

    await at(start + 29 * DAY);
    expect(await entries('GZ-2026-001')).toEqual(closedTimeline);

    await at(start + 31 * DAY);
    expect(await entries('GZ-2026-001')).toEqual([]);
    expect(await entries('GZ-2026-002')).toEqual(openTimeline);
    expect(await groupEntries()).toBe(group);
    expect((await h.db.selectFrom('cases').select(['ref', 'status']).orderBy('ref').execute()).map((c) => `${c.ref} ${c.status}`)).toEqual(['GZ-2026-001 closed', 'GZ-2026-002 open']);
    expect(h.logs.lines.some((l) => l.msg === 'forgot the timelines of cases closed past the retention' && l.entries === closedTimeline.length)).toBe(true);
  });

  it('keeps the timeline of a case that was reopened, and counts from the last entry of one that was changed after its close', async () => {
    await close('GZ-2026-001');
    await h.command('/case reopen GZ-2026-001 appeal');
    await close('GZ-2026-002');
    // An entry written 20 days after the close (the database stamps entries with its own clock,
    // not the test's, so this one is written with its time given).
    const id = await caseId('GZ-2026-002');
    const c = await h.db.selectFrom('cases').select(['team_id', 'group_id']).where('id', '=', id).executeTakeFirstOrThrow();
    await sql`insert into audit_events (team_id, group_id, case_id, actor_user_id, kind, after, recorded_at)
              values (${c.team_id}, ${c.group_id}, ${id}, 'U0BAO', 'case.note', ${JSON.stringify({ note: 'late note' })}, ${new Date(start + 20 * DAY)})`.execute(h.db);
    await at(start + 31 * DAY);
    expect(await entries('GZ-2026-002')).toEqual(expect.arrayContaining(['case.closed', 'case.note']));
    await at(start + 51 * DAY);
    expect(await entries('GZ-2026-002')).toEqual([]);
    expect(await entries('GZ-2026-001')).toEqual(expect.arrayContaining(['case.closed', 'case.reopened']));
  });

  it('is off unless set: the same pass with no retention removes nothing', async () => {
    await close('GZ-2026-001');
    const before = await entries('GZ-2026-001');
    await housekeep(h.db, new Date(start + 100 * 365 * DAY), pino({ level: 'silent' }), { timelineRetentionDays: undefined });
    expect(await entries('GZ-2026-001')).toEqual(before);
  });
});

describe('the timeline stays append-only otherwise', () => {
  const refused = /audit_events is append-only/;

  it('refuses a plain delete or an update of a closed case’s entry', async () => {
    await close('GZ-2026-001');
    const id = await caseId('GZ-2026-001');
    await expect(sql`delete from audit_events where case_id = ${id}`.execute(h.db)).rejects.toThrow(refused);
    await expect(sql`update audit_events set kind = 'case.note' where case_id = ${id}`.execute(h.db)).rejects.toThrow(refused);
    expect((await entries('GZ-2026-001')).length).toBeGreaterThan(0);
  });

  it('with the retention’s flag raised, still refuses to delete an open case’s entry, a group’s entry, or to change one', async () => {
    await close('GZ-2026-001');
    const open = await caseId('GZ-2026-002');
    const closed = await caseId('GZ-2026-001');
    const flagged = (statement: ReturnType<typeof sql>) =>
      transaction(h.db, async (trx) => {
        await sql`select set_config('docket.forgetting_timelines', 'on', true)`.execute(trx);
        await statement.execute(trx);
      });
    await expect(flagged(sql`delete from audit_events where case_id = ${open}`)).rejects.toThrow(refused);
    await expect(flagged(sql`delete from audit_events where case_id is null`)).rejects.toThrow(refused);
    await expect(flagged(sql`update audit_events set kind = 'case.note' where case_id = ${closed}`)).rejects.toThrow(refused);
    // The flag is what lets the retention through: with it, a closed case's entries can go.
    await flagged(sql`delete from audit_events where case_id = ${closed}`);
    expect(await entries('GZ-2026-001')).toEqual([]);
    expect((await entries('GZ-2026-002')).length).toBeGreaterThan(0);
  });
});
