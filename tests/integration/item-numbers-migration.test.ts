import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { nextItemSeq } from '../../src/db/action-items.repo.js';
import { createMigrator, migrateToLatest } from '../../src/db/migrate.js';
import { TEMPLATE_DB, admin, recreateDatabase } from '../helpers/databases.js';

/** A database of this file's own, migrated only as far as before item numbers. */
const NAME = `${TEMPLATE_DB.replace(/_tpl$/, '')}_itemno_${process.env.VITEST_POOL_ID ?? '0'}`;
let db: Db;

beforeAll(async () => {
  db = createDb(await recreateDatabase(NAME), 2);
  const to = await createMigrator(db).migrateTo('20261202T0300_schedules');
  if (to.error) throw to.error;
});
afterAll(async () => {
  await db.destroy();
  await admin((c) => c.query(`drop database if exists ${NAME} with (force)`));
});

describe('the item numbers migration', () => {
  it('numbers existing items group by group in the order they were added, and each group’s next number follows its last', async () => {
    const group = async (channel: string, prefix: string) => {
      const g = await sql<{ id: number }>`insert into groups (team_id, channel_id, name, case_prefix, time_zone, currency, created_by)
        values ('T0', ${channel}, ${prefix}, ${prefix}, 'UTC', 'CNY', 'U0') returning id`.execute(db);
      const gid = g.rows[0]!.id;
      const c = await sql<{ id: number }>`insert into cases (team_id, group_id, ref, year, seq, title, opened_on, status, status_changed_at, created_by)
        values ('T0', ${gid}, ${`${prefix}-2026-001`}, 2026, 1, 'x', '2026-01-01', 'open', now(), 'U0') returning id`.execute(db);
      return { gid, cid: c.rows[0]!.id };
    };
    const a = await group('C0A', 'AA');
    const b = await group('C0B', 'BB');
    const c = await group('C0C', 'CC'); // no items: no counter until its first
    // Rows added interleaved: A, B, B, A, B.
    for (const [i, g] of [a, b, b, a, b].entries()) {
      await sql`insert into action_items (team_id, group_id, case_id, text, owner_user_id, due_at, state, created_by)
        values ('T0', ${g.gid}, ${g.cid}, ${`item ${i + 1}`}, 'U0', now(), 'open', 'U0')`.execute(db);
    }

    await migrateToLatest(db);

    const rows = await sql<{ id: number; group_id: number; seq: number }>`select id, group_id, seq from action_items order by id`.execute(db);
    expect(rows.rows.map((r) => [Number(r.id), Number(r.group_id), r.seq])).toEqual([
      [1, a.gid, 1],
      [2, b.gid, 1],
      [3, b.gid, 2],
      [4, a.gid, 2],
      [5, b.gid, 3],
    ]);
    expect(await nextItemSeq(db, b.gid)).toBe(4);
    expect(await nextItemSeq(db, a.gid)).toBe(3);
    // A third group's first item is #1.
    expect(await nextItemSeq(db, c.gid)).toBe(1);
    // Two items of one group cannot share a number.
    await expect(sql`update action_items set seq = 1 where id = 4`.execute(db)).rejects.toThrow(/action_items_seq_uq/);
  });
});
