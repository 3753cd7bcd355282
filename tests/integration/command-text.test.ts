import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

describe('command text as Slack sends it', () => {
  it('stores & < > as typed (Slack sends them as entities) and shows them escaped once', async () => {
    await h.setupGroup();
    const r = await h.command('/case open Police &amp; Court &lt;joint&gt; case');
    expect(r.text).toMatch(/^Opened \*GZ-\d{4}-001\*: Police &amp; Court &lt;joint&gt; case$/);
    const titles = await sql<{ title: string }>`select title from cases`.execute(h.db);
    expect(titles.rows).toEqual([{ title: 'Police & Court <joint> case' }]);
  });
});
