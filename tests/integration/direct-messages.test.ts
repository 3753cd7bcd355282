import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

const h = useHarness({ clock: new ManualClock(new Date('2026-11-28T04:00:00Z')), group: true });

/** The texts of a reply's section blocks, in order. */
const sections = (r: { reply?: { args: Record<string, any> } }): string[] => (r.reply?.args.blocks ?? []).filter((b: { type: string }) => b.type === 'section').map((b: { text: { text: string } }) => b.text.text);

/** The one section that opens with this group heading. */
const under = (blocks: string[], heading: string): string => {
  const found = blocks.filter((t) => t.startsWith(heading));
  expect(found, heading).toHaveLength(1);
  return found[0]!;
};

const counts = async () => ({
  groups: (await h.db.selectFrom('groups').select('id').execute()).length,
  cases: (await h.db.selectFrom('cases').select('id').execute()).length,
  audit: (await h.db.selectFrom('audit_events').select('id').execute()).length,
  open: (await h.db.selectFrom('action_items').select('id').where('state', '=', 'open').execute()).length,
});

/**
 * Two groups: Ganzi Office (#C0GROUP, the harness's, Carlos in its unit Police) and Danba County
 * (#C0COUNTY, Carlos in its unit Court). Each has a case with items that are Carlos's, his
 * unit's, and someone else's.
 */
beforeEach(async () => {
  await h.command('/case open Zhang');
  await h.command('/action add GZ-2026-001 Verify the address due:tomorrow owner:<@U0CARLOS|carlos>');
  await h.command('/action add GZ-2026-001 Pull phone records due:tomorrow owner:unit:Police');
  await h.command('/action add GZ-2026-001 Brief the leader due:tomorrow owner:<@U0ALICE|alice>');
  const county = { channel: 'C0COUNTY' };
  expect((await h.command('/docket setup Danba County prefix:DC tz:Asia/Shanghai', county)).text).toContain('set up');
  await h.command('/docket units add Court', county);
  await h.command('/docket members add <@U0CARLOS|carlos> unit:Court', county);
  await h.command('/case open Liu', county);
  await h.command('/action add DC-2026-001 File with the court due:tomorrow owner:<@U0CARLOS|carlos>', county);
  await h.command('/action add DC-2026-001 Court paperwork due:tomorrow owner:unit:Court', county);
  await h.command('/action add DC-2026-001 Alice alone due:tomorrow', county);
});

describe('a direct message with docket', () => {
  it('lists a member’s own items across their groups, each under its group and channel', async () => {
    const dm = { user: 'U0CARLOS', channel: 'DCARLOS' };
    const list = await h.command('/action list', dm);
    const blocks = sections(list);
    expect(blocks[0]).toBe('*Open action items (yours)*');
    // Groups by name: Danba County, then Ganzi Office.
    expect(blocks.slice(1).map((b) => b.split('\n')[0])).toEqual(['*Danba County* · <#C0COUNTY>', '*Ganzi Office* · <#C0GROUP>']);
    const danba = under(blocks, '*Danba County*');
    expect(danba).toContain('DC-2026-001 · File with the court');
    expect(danba).toContain('Court paperwork · unit Court');
    expect(danba).not.toContain('Alice alone');
    const ganzi = under(blocks, '*Ganzi Office*');
    expect(ganzi).toContain('GZ-2026-001 · Verify the address');
    expect(ganzi).toContain('Pull phone records · unit Police');
    expect(ganzi).not.toContain('Brief the leader');
    expect(list.reply!.args.response_type).toBe('ephemeral');
    // `mine` says the same in a DM; `overdue` narrows it (nothing is overdue yet).
    expect(sections(await h.command('/action list mine', dm))).toEqual(blocks);
    const overdue = sections(await h.command('/action list overdue', dm));
    expect(under(overdue, '*Ganzi Office*')).toBe('*Ganzi Office* · <#C0GROUP>\nNo open action items match.');
  });

  it('lists the cases of each of the reader’s groups, with the filters a group channel takes', async () => {
    const dm = { user: 'U0CARLOS', channel: 'DCARLOS' };
    const blocks = sections(await h.command('/case list', dm));
    expect(blocks[0]).toBe('*Open cases* (2)');
    expect(under(blocks, '*Danba County*')).toContain('*DC-2026-001* Liu');
    expect(under(blocks, '*Ganzi Office*')).toContain('*GZ-2026-001* Zhang');
    // A unit filter reads in each group that has such a unit; the others are left out.
    const court = sections(await h.command('/case list all unit:Court', dm));
    expect(court.map((b) => b.split('\n')[0])).toEqual(['*All cases* (0)', '*Danba County* · <#C0COUNTY>']);
    expect((await h.command('/case list unit:Nowhere', dm)).text).toContain('Usage: /case list');
    // A case named by its reference opens from the DM, whichever group holds it.
    expect((await h.command('/case show DC-2026-001', dm)).reply!.args.blocks[0].text.text).toContain('DC-2026-001');
    expect((await h.command('/case show GZ-2026-001', dm)).reply!.args.blocks[0].text.text).toContain('GZ-2026-001');
  });

  it('answers in the reader’s language', async () => {
    const blocks = sections(await h.command('/action list', { user: 'U0BAO', channel: 'DBAO' }));
    expect(blocks[0]).toBe('*进行中的事项（我的）*');
    expect(blocks).toHaveLength(2); // Bao is in Ganzi Office only
    expect(blocks[1]).toContain('*Ganzi Office*（<#C0GROUP>）');
    expect(blocks[1]).toContain('Pull phone records · 单位 Police');
  });

  it('tells someone in no group so, and how to join or start one, without offering the DM as a group', async () => {
    const dm = { user: 'U0ERIN', channel: 'DERIN' };
    for (const input of ['/action list', '/case list', '/action list mine', '/case open Wang']) {
      const r = await h.command(input, dm);
      expect(r.text, input).toBe(
        'You are not in any docket group yet. To join one, ask its coordinator to add you (`/docket members add @you`); to start one, run `/docket setup` in the channel the group will work in.',
      );
    }
    expect((await h.command('/docket setup Erin Office', dm)).text).toBe(
      'A group works in a channel, not in a direct message: invite docket to the channel the group will use and run `/docket setup` there.',
    );
    expect((await counts()).groups).toBe(2);
  });

  it('answers a change with the group channels to run it in, and changes nothing', async () => {
    const dm = { user: 'U0CARLOS', channel: 'DCARLOS' };
    const before = await counts();
    const mine = await h.db.selectFrom('action_items').select('id').where('owner_user_id', '=', 'U0CARLOS').orderBy('id').executeTakeFirstOrThrow();
    for (const input of ['/case open Wang', '/case note GZ-2026-001 seen in Dege', `/action done ${mine.id}`, '/action add DC-2026-001 More due:tomorrow', '/docket units add Bureau', '/action settings']) {
      const r = await h.command(input, dm);
      expect(r.text, input).toBe(
        'This command works in a group’s channel: <#C0COUNTY>, <#C0GROUP>. In a direct message you can read your work across your groups: `/action list`, `/case list`, `/case show REF`.',
      );
      expect(r.reply!.args.response_type).toBe('ephemeral');
    }
    expect((await h.command('/docket setup Carlos Office', dm)).text).toContain('not in a direct message');
    // A member of one group, in Chinese: the DM does not stand in for that group's channel either.
    expect((await h.command('/case open Wang', { user: 'U0BAO', channel: 'DBAO' })).text).toBe(
      '此命令需在工作组频道中运行：<#C0GROUP>。在私信中可以查看你在各组的工作：`/action list`、`/case list`、`/case show 案号`。',
    );
    expect(await counts()).toEqual(before);
  });
});

describe('a channel that is no group’s', () => {
  it('lists across the reader’s groups there too, and still offers to set the channel up for someone in none', async () => {
    const blocks = sections(await h.command('/case list', { user: 'U0CARLOS', channel: 'C0RANDOM' }));
    expect(blocks.map((b) => b.split('\n')[0])).toEqual(['*Open cases* (2)', '*Danba County* · <#C0COUNTY>', '*Ganzi Office* · <#C0GROUP>']);
    expect((await h.command('/case list', { user: 'U0ERIN', channel: 'C0RANDOM' })).text).toContain('A coordinator can make it one with `/docket setup`');
  });
});
