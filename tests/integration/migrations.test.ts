import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import { createMigrator, migrateToLatest } from '../../src/db/migrate.js';
import { recreateDatabase } from '../helpers/databases.js';

/**
 * Upgrades with data in the tables: what an office that already uses docket meets. The
 * database is this file's own, migrated step by step, filled as the older code left it.
 */
let db: Kysely<any>;

beforeAll(async () => {
  const url = await recreateDatabase(`docket_test_${process.env.VITEST_POOL_ID ?? '0'}_migrations`);
  db = createDb(url, 2) as unknown as Kysely<any>;
});

afterAll(async () => {
  await db?.destroy();
});

describe('20261202T1400 ledger dates', () => {
  it('dates old entries by what they record, keeps when they were typed, and marks negative money as corrections', async () => {
    const to = await createMigrator(db).migrateTo('20261202T0300_schedules');
    expect(to.error).toBeUndefined();
    const typed = new Date('2026-11-30T03:00:00Z');
    const [g] = (await sql<{ id: number }>`
      insert into groups (team_id, channel_id, name, case_prefix, time_zone, currency, created_by)
      values ('T1', 'C1', 'Office', 'GZ', 'Asia/Shanghai', 'CNY', 'U1') returning id`.execute(db)).rows;
    const caseRow = async (ref: string, status: string) =>
      (await sql<{ id: number }>`
        insert into cases (team_id, group_id, ref, year, seq, title, opened_on, status, outcome, status_changed_at, created_by, created_at)
        values ('T1', ${g!.id}, ${ref}, 2019, ${Number(ref.slice(-1))}, 'x', '2019-03-01', ${status}, ${status === 'closed' ? 'returned' : null}, ${typed}, 'U1', ${typed}) returning id`.execute(db)).rows[0]!.id;
    const worked = await caseRow('GZ-2019-001', 'closed');
    const untouched = await caseRow('GZ-2019-002', 'open');
    const event = (caseId: number, kind: string, after: unknown) =>
      sql`insert into audit_events (team_id, group_id, case_id, actor_user_id, at, kind, after) values ('T1', ${g!.id}, ${caseId}, 'U1', ${typed}, ${kind}, ${JSON.stringify(after)})`.execute(db);
    await event(worked, 'case.opened', { ref: 'GZ-2019-001', opened_on: '2019-03-01' });
    await event(worked, 'case.status', { status: 'in_custody', at: '2019-09-21T23:24:00.000Z' });
    await event(worked, 'case.closed', { status: 'closed', outcome: 'returned', note: null, at: '2019-09-22T08:00:00.000Z' });
    await event(worked, 'money.added', { id: 1, kind: 'recovered', amount: '70000', currency: 'CNY', occurred_on: '2020-05-20', note: null });
    await event(worked, 'case.note', { text: 'typed today' });
    await sql`insert into money_entries (team_id, case_id, kind, amount, currency, occurred_on, created_by) values
      ('T1', ${worked}, 'recovered', 70000, 'CNY', '2020-05-20', 'U1'), ('T1', ${worked}, 'recovered', -5000, 'CNY', '2020-05-21', 'U1')`.execute(db);

    await migrateToLatest(db);

    const rows = await db.selectFrom('audit_events').select(['kind', 'at', 'recorded_at']).orderBy('id').execute();
    expect(rows).toEqual([
      { kind: 'case.opened', at: new Date('2019-02-28T16:00:00Z'), recorded_at: typed },
      { kind: 'case.status', at: new Date('2019-09-21T23:24:00Z'), recorded_at: typed },
      { kind: 'case.closed', at: new Date('2019-09-22T08:00:00Z'), recorded_at: typed },
      { kind: 'money.added', at: new Date('2020-05-19T16:00:00Z'), recorded_at: typed },
      { kind: 'case.note', at: typed, recorded_at: typed },
    ]);
    const money = await db.selectFrom('money_entries').select(['amount', 'correction']).orderBy('id').execute();
    expect(money).toEqual([
      { amount: '70000.0000', correction: false },
      { amount: '-5000.0000', correction: true },
    ]);
    const cases = await db.selectFrom('cases').select(['ref', 'status_changed_at']).orderBy('id').execute();
    // Only the case nothing happened to is "open since" its opening day; the closed one keeps its time.
    expect(cases).toEqual([
      { ref: 'GZ-2019-001', status_changed_at: typed },
      { ref: 'GZ-2019-002', status_changed_at: new Date('2019-02-28T16:00:00Z') },
    ]);
    void untouched;
    // The timeline is append-only again once the migration is done.
    await expect(sql`update audit_events set kind = kind`.execute(db)).rejects.toThrow(/append-only/);
    // New entries are stamped when they are written.
    await event(worked, 'case.note', { text: 'now' });
    const last = await db.selectFrom('audit_events').select(['at', 'recorded_at']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.recorded_at.getTime()).toBeGreaterThan(typed.getTime());
  });
});
