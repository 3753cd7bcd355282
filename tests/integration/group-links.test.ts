import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';
import { sh } from '../helpers/reminders.js';

// The reference group (C0GROUP, Alice coordinates) and a provincial office Carlos sets up.
const clock = new ManualClock(sh('2026-12-03T10:00'));
const h = useHarness({ clock, group: true });

const province = { channel: 'C0PROV', user: 'U0CARLOS' };
const parentOf = async (channel: string) => {
  const g = await h.db.selectFrom('groups').select('parent_group_id').where('channel_id', '=', channel).executeTakeFirstOrThrow();
  return g.parent_group_id;
};

async function setupProvince() {
  const r = await h.command('/docket setup Sichuan Office prefix:SC tz:Asia/Shanghai', province);
  expect(r.text).toContain('set up');
}

describe('two tiers of groups', () => {
  it('link when a coordinator of each side agrees, and the parent’s digest adds the child’s figures', async () => {
    await setupProvince();
    const asked = await h.command('/docket parent <#C0PROV|sichuan>');
    expect(asked.text).toBe('Asked to report to <#C0PROV>. A coordinator of that group completes the link by running `/docket child <#C0GROUP>` there.');
    expect(await parentOf('C0GROUP')).toBeNull();
    // A member of the parent cannot answer for it; its coordinator can.
    const province2 = await h.db.selectFrom('groups').select('id').where('channel_id', '=', 'C0PROV').executeTakeFirstOrThrow();
    expect((await h.command('/docket child <#C0GROUP|ganzi>', { channel: 'C0PROV', user: 'U0BAO' })).text).toContain('你不是 *Sichuan Office* 的成员');
    const done = await h.command('/docket child <#C0GROUP|ganzi>', province);
    expect(done.text).toBe('<#C0GROUP> now reports to <#C0PROV>: the parent’s digest and statistics add its figures; its cases stay in its own channel.');
    expect(await parentOf('C0GROUP')).toBe(province2.id);
    expect((await h.command('/docket parent')).text).toBe('This group reports to <#C0PROV>.');
    expect((await h.command('/docket parent', province)).text).toBe('This group reports to no parent group.\nChild groups: <#C0GROUP>.');

    // The child's figures reach the parent's digest; its cases do not.
    await h.command('/case open Zhou, fled 2003 opened:2024-03-01');
    await h.command('/case open Qian, fled 2011 opened:2024-04-01');
    const ask = await h.command('/case close GZ-2024-002 returned 2026-11-30');
    await h.click(ask.reply!.args.blocks[1].elements[0].action_id, ask.reply!.args.blocks[1].elements[0].value);
    await h.command('/case money GZ-2024-002 recovered 80,000 CNY 2026-11-30');
    const digest = String((await h.command('/digest preview', province)).reply!.args.text);
    expect(digest).toContain('*Groups reporting here*\n• *Ganzi Office*: 1 open · closed in 2026: 1 returned · recovered: CN¥80,000.00 · 0 overdue items');
    expect(digest).not.toContain('Zhou');
    const stats = JSON.stringify((await h.command('/docket stats', province)).reply!.args.blocks);
    expect(stats).toContain('*Ganzi Office*: 1 open · closed in 2026: 1 returned');
    expect(stats).not.toContain('Zhou');
    // Both timelines record the link.
    const kinds = await h.db.selectFrom('audit_events').select(['group_id', 'kind']).where('kind', 'like', 'group.%link%').orderBy('id').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['group.link_requested', 'group.linked', 'group.linked']);
  });

  it('keep two tiers, one parent at a time, and come apart from the child’s side', async () => {
    await setupProvince();
    // Alice coordinates a city group too: her link from it needs no second person.
    await h.command('/docket setup Kangding prefix:KD tz:Asia/Shanghai', { channel: 'C0CITY' });
    expect((await h.command('/docket parent <#C0GROUP|ganzi>', { channel: 'C0CITY' })).text).toContain('<#C0CITY> now reports to <#C0GROUP>');
    // Ganzi has a child now: it cannot become one; Kangding already reports to Ganzi.
    expect((await h.command('/docket parent <#C0PROV|sichuan>')).text).toContain('Groups link in two tiers only');
    expect((await h.command('/docket child <#C0CITY|kangding>', province)).text).toContain('<#C0CITY> already reports to another group.');
    expect((await h.command('/docket parent <#C0GROUP|ganzi>')).text).toContain('A group cannot be its own parent.');
    expect((await h.command('/docket parent <#C0NOWHERE|x>')).text).toContain('<#C0NOWHERE> is not a docket group');
    expect((await h.command('/docket parent', { user: 'U0BAO' })).text).toBe('本组没有上级组。\n下级组：<#C0CITY>。');
    expect((await h.command('/docket parent none', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    expect((await h.command('/docket parent none', { channel: 'C0CITY' })).text).toBe('This group no longer reports to <#C0GROUP>.');
    expect(await parentOf('C0CITY')).toBeNull();
    expect((await h.command('/docket parent <#C0PROV|sichuan> now')).text).toContain('/docket parent [#CHANNEL | none]');
  });
});
