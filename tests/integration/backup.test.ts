import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Harness } from '../helpers/harness.js';

/**
 * The README's "Backups": pg_dump in the custom format, pg_restore over the live database.
 * Postgres is everything docket keeps; what Redis holds is rebuilt from it by the reconciler.
 */
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'docket-backup-'));
let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
  await h.setupGroup();
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

const refs = async () => (await h.db.selectFrom('cases').select('ref').orderBy('ref').execute()).map((c) => c.ref);

describe('backing up and restoring with the README’s commands', () => {
  it('restores the ledger as it was at the backup, with its timeline still append-only and its numbering going on from there', async () => {
    await h.command('/case open Zhang, fled 2003');
    await h.command('/case note GZ-2026-001 Sister called');
    const timeline = await h.db.selectFrom('audit_events').select(['id', 'kind']).orderBy('id').execute();
    const url = h.env.DATABASE_URL!;
    const file = join(dir, 'docket.dump');

    await exec('pg_dump', ['--format=custom', `--file=${file}`, url]);
    await h.command('/case open Li, fled 2011'); // after the backup: gone once it is restored
    expect(await refs()).toEqual(['GZ-2026-001', 'GZ-2026-002']);

    await exec('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${url}`, file]);
    expect(await refs()).toEqual(['GZ-2026-001']);
    expect(await h.db.selectFrom('audit_events').select(['id', 'kind']).orderBy('id').execute()).toEqual(timeline);
    // The guard came back with the tables, and the schema is the current one.
    await expect(sql`delete from audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    expect((await migrateToLatest(h.db)).results).toEqual([]);
    // docket carries on where the backup left off: the next case takes the next number.
    expect((await h.command('/case open Wang, fled 2015')).text).toContain('GZ-2026-002');
    expect(await refs()).toEqual(['GZ-2026-001', 'GZ-2026-002']);
  });
});
