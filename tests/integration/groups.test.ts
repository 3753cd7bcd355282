import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

const h = useHarness({ clock: new ManualClock(new Date('2026-11-28T04:00:00Z')), workers: true, env: { SLACK_CHANNEL_INTERVAL_MS: '50' } });

const members = () => h.db.selectFrom('members').select(['user_id', 'role', 'unit_id']).orderBy('user_id').execute();
const audit = (kind: string) => h.db.selectFrom('audit_events').selectAll().where('kind', '=', kind).orderBy('id').execute();

describe('/docket setup', () => {
  it('binds the channel as a group and makes whoever ran it its coordinator', async () => {
    const r = await h.command('/docket setup Ganzi Office prefix:gz tz:Asia/Shanghai currency:cny announce:<#C0ANNOUNCE|announcements>');
    expect(r.text).toContain('*Ganzi Office* is set up');
    const group = await h.db.selectFrom('groups').selectAll().executeTakeFirstOrThrow();
    expect(group).toMatchObject({ channel_id: 'C0GROUP', name: 'Ganzi Office', case_prefix: 'GZ', time_zone: 'Asia/Shanghai', currency: 'CNY', announce_channel_id: 'C0ANNOUNCE', locale: 'en' });
    expect(await members()).toEqual([{ user_id: 'U0ALICE', role: 'coordinator', unit_id: null }]);
    expect(await audit('group.setup')).toHaveLength(1);
  });

  it('takes sensible defaults: the channel’s name, a prefix, and the user’s time zone and language', async () => {
    await h.command('/docket setup', { user: 'U0BAO', channel: 'C0COUNTY' });
    const group = await h.db.selectFrom('groups').selectAll().executeTakeFirstOrThrow();
    expect(group).toMatchObject({ name: 'danba-county', case_prefix: 'DC', time_zone: 'Asia/Shanghai', locale: 'zh' });
  });

  it('refuses a second setup, a taken prefix, an unknown zone and a fixed offset', async () => {
    await h.command('/docket setup Ganzi prefix:GZ');
    expect((await h.command('/docket setup Again')).text).toContain('already the group *Ganzi*');
    expect((await h.command('/docket setup Danba prefix:GZ', { channel: 'C0COUNTY' })).text).toBe('The prefix GZ is already used by another group in this workspace.');
    const zone = await h.command('/docket setup Danba prefix:DB tz:Mars/Olympus', { channel: 'C0COUNTY' });
    expect(zone.text).toContain('“Mars/Olympus” is not a time zone');
    expect(zone.text).toContain('Usage: /docket setup');
    expect((await h.command('/docket setup Danba prefix:DB tz:+08:00', { channel: 'C0COUNTY' })).text).toContain('is not a time zone');
    expect(await h.db.selectFrom('groups').selectAll().execute()).toHaveLength(1);
  });

  it('explains how to set a group up when a case command runs elsewhere', async () => {
    const r = await h.command('/case list', { channel: 'C0RANDOM' });
    expect(r.text).toContain('not a docket group yet');
    expect(r.text).toContain('/docket setup');
  });
});

describe('units and members', () => {
  beforeEach(async () => {
    await h.setupGroup();
  });

  it('manages units: add, list, rename, contact, and remove after confirmation', async () => {
    expect((await h.command('/docket units add "Public Security" contact:<@U0CARLOS|carlos>')).text).toBe('Unit *Public Security* added.');
    expect((await h.command('/docket units add police')).text).toBe('There is already a unit called *police*.');
    await h.command('/docket units rename "Public Security" 公安局');
    const list = await h.command('/docket units');
    expect(list.text).toContain('• 公安局 (contact <@U0CARLOS>)');
    const ask = await h.command('/docket units remove Police');
    expect(ask.text).toContain('Remove unit *Police*? 2 members will have no unit');
    expect((await h.command('/docket units')).text).toContain('Police');
    const confirm = ask.reply!.args.blocks[1].elements[0];
    expect((await h.click(confirm.action_id, confirm.value)).text).toBe('Unit *Police* removed.');
    expect((await h.command('/docket units')).text).not.toContain('Police');
    expect((await members()).every((m) => m.unit_id === null || m.user_id === 'U0ALICE')).toBe(true);
    expect((await audit('unit.removed')).length).toBe(1);
  });

  it('adds members with a role and unit, changes them, and keeps the last coordinator', async () => {
    expect(await members()).toEqual([
      { user_id: 'U0ALICE', role: 'coordinator', unit_id: null },
      { user_id: 'U0BAO', role: 'member', unit_id: 1 },
      { user_id: 'U0CARLOS', role: 'member', unit_id: 1 },
      { user_id: 'U0DANA', role: 'observer', unit_id: null },
    ]);
    expect((await h.command('/docket members add <@U0BAO|bao>')).text).toBe('Already members: <@U0BAO>.');
    expect((await h.command('/docket members set <@U0ALICE|alice> role:member')).text).toContain('at least one coordinator');
    await h.command('/docket members set <@U0BAO|bao> role:coordinator unit:none');
    expect((await h.command('/docket members set <@U0ALICE|alice> role:member')).text).toBe('Updated <@U0ALICE>.');
    const [updated] = (await audit('member.updated')).slice(-1);
    expect(updated).toMatchObject({ before: { user_id: 'U0ALICE', role: 'coordinator' }, after: { user_id: 'U0ALICE', role: 'member' } });
    expect((await h.command('/docket members bogus')).text).toContain('Usage: /docket members');
  });

  it('removes a member only after confirmation', async () => {
    const ask = await h.command('/docket members remove <@U0CARLOS|carlos>');
    expect(await members()).toHaveLength(4);
    const confirm = ask.reply!.args.blocks[1].elements[0];
    await h.click(confirm.action_id, confirm.value);
    expect((await members()).map((m) => m.user_id)).not.toContain('U0CARLOS');
    expect((await h.command('/case list', { user: 'U0CARLOS' })).text).toContain('not a member of *Ganzi Office*');
  });

  it('refuses bots and deactivated accounts as members', async () => {
    expect((await h.command('/docket members add <@U0GONE|gone>')).text).toContain('bot or a deactivated account');
    expect(await members()).toHaveLength(4);
  });

  it('cancelling a confirmation changes nothing', async () => {
    const ask = await h.command('/docket members remove <@U0CARLOS|carlos>');
    const cancel = ask.reply!.args.blocks[1].elements[1];
    expect((await h.click(cancel.action_id, cancel.value)).text).toBe('Cancelled: nothing was changed.');
    expect(await members()).toHaveLength(4);
  });
});

const idOf = (text: string) => Number(/#(\d+)/.exec(text)?.[1]);

describe('permissions', () => {
  beforeEach(async () => {
    await h.setupGroup();
    await h.command('/case open Zhang');
  });

  it('shows a group’s cases to nobody outside it, who cannot tell a reference that exists from one that does not', async () => {
    const r = await h.command('/case show GZ-2026-001', { user: 'U0ERIN', channel: 'DERIN' });
    const missing = await h.command('/case show GZ-2026-099', { user: 'U0ERIN', channel: 'DERIN' });
    expect(r.text).toBe(missing.text.replace('099', '001'));
    expect(r.text).not.toContain('Ganzi');
    expect(r.reply!.args.blocks).toBeUndefined();
    expect((await h.command('/case history GZ-2026-001', { user: 'U0ERIN', channel: 'DERIN' })).text).toBe(r.text);
    // Changes are no DM's business (they are refused there before any lookup); from a channel that is no group's, the same silence.
    for (const input of ['/case note GZ-2026-001 hi', '/action add GZ-2026-001 x due:tomorrow']) {
      expect((await h.command(input, { user: 'U0ERIN', channel: 'C0RANDOM' })).text, input).toBe(r.text);
    }
    const item = idOf((await h.command('/action add GZ-2026-001 Verify due:tomorrow')).text);
    expect((await h.command(`/action show ${item}`, { user: 'U0ERIN', channel: 'DERIN' })).text).toBe((await h.command('/action show 999', { user: 'U0ERIN', channel: 'DERIN' })).text.replace('999', String(item)));
    // In the group's own channel the group is no secret: a non-member is told how to join.
    expect((await h.command('/case list', { user: 'U0ERIN' })).text).toContain('not a member');
  });

  it('lets observers read but not change anything', async () => {
    expect((await h.command('/case show GZ-2026-001', { user: 'U0DANA' })).reply!.args.blocks[0].text.text).toContain('GZ-2026-001');
    for (const input of ['/case open Another', '/case note GZ-2026-001 hi', '/case money GZ-2026-001 frozen 100', '/case status GZ-2026-001 located']) {
      expect((await h.command(input, { user: 'U0DANA' })).text, input).toBe('Observers can read this group’s cases but not change them.');
    }
    expect(await h.db.selectFrom('cases').selectAll().execute()).toHaveLength(1);
  });

  it('offers on each card only the buttons its reader may use', async () => {
    const buttons = async (input: string, user: string) => {
      const blocks = (await h.command(input, { user })).reply!.args.blocks as { type: string; elements?: { action_id: string }[] }[];
      return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.action_id));
    };
    expect(await buttons('/case show GZ-2026-001', 'U0ALICE')).toEqual(['case.edit', 'case.status', 'case.note', 'action.add', 'case.close']);
    expect(await buttons('/case show GZ-2026-001', 'U0BAO')).toEqual(['case.edit', 'case.status', 'case.note', 'action.add']); // closing is a coordinator's
    expect(await buttons('/case show GZ-2026-001', 'U0DANA')).toEqual([]); // an observer reads
    const item = idOf((await h.command('/action add GZ-2026-001 Verify due:tomorrow owner:<@U0BAO|bao>')).text);
    expect(await buttons(`/action show ${item}`, 'U0BAO')).toContain('action.done');
    expect(await buttons(`/action show ${item}`, 'U0DANA')).toEqual([]);
  });

  it('keeps closing, reopening, supervision and membership to coordinators', async () => {
    for (const input of ['/case close GZ-2026-001 returned', '/case supervise GZ-2026-001 <@U0ALICE|alice>', '/docket members add <@U0ERIN|erin>', '/docket units add Court', '/docket settings tz:UTC']) {
      expect((await h.command(input, { user: 'U0CARLOS' })).text, input).toBe('Only the group’s coordinators can do that.');
    }
  });

  it('answers a member in a direct message, privately, when they belong to one group', async () => {
    const r = await h.command('/case show GZ-2026-001', { user: 'U0CARLOS', channel: 'D0CARLOS' });
    expect(r.reply!.args.response_type).toBe('ephemeral');
    expect(r.reply!.args.blocks[0].text.text).toContain('GZ-2026-001');
  });
});

describe('/docket settings', () => {
  beforeEach(() => h.setupGroup());

  it('shows the settings to members and lets coordinators change them, with an audit entry', async () => {
    expect((await h.command('/docket settings', { user: 'U0DANA' })).text).toContain('Time zone: Asia/Shanghai');
    const r = await h.command('/docket settings tz:Europe/Berlin announce:none language:zh');
    expect(r.text).toContain('Settings updated.');
    const [change] = await audit('group.settings');
    expect(change).toMatchObject({ before: { time_zone: 'Asia/Shanghai', announce_channel_id: 'C0ANNOUNCE', locale: 'en' }, after: { time_zone: 'Europe/Berlin', announce_channel_id: null, locale: 'zh' } });
    // Channel posts now speak the group's language, whoever acts.
    await h.command('/case open Liu');
    expect((await h.settledPosts('C0GROUP')).at(-1)!.args.text).toContain('立案');
  });

  it('does not change the prefix once cases exist', async () => {
    await h.command('/case open Zhang');
    expect((await h.command('/docket settings prefix:GZZ')).text).toContain('cannot change once the group has cases');
  });
});

describe('/docket help', () => {
  it('lists every command with examples, in the reader’s language', async () => {
    const en = (await h.command('/docket help')).text;
    for (const word of ['setup', 'settings', 'units', 'members', '/case help']) expect(en).toContain(word);
    const caseHelp = (await h.command('/case help')).text;
    for (const sub of ['open', 'list', 'show', 'edit', 'note', 'plan', 'status', 'supervise', 'close', 'reopen', 'money', 'history']) expect(caseHelp).toContain(`/case ${sub}`);
    // A case's work is its action items: the case help points there, in both languages.
    expect(caseHelp).toContain('`/action help`');
    expect((await h.command('/case help', { user: 'U0BAO' })).text).toContain('`/action help`');
    expect((await h.command('/docket help', { user: 'U0BAO' })).text).toContain('工作组');
  });

  it('opens with every slash command the features register, described in the reader’s language', async () => {
    const en = (await h.command('/docket help')).text;
    for (const line of ['`/docket` help', '`/case` help', '`/action` help', 'Open, track and close the group’s cases']) expect(en).toContain(line);
    expect((await h.command('/docket help', { user: 'U0BAO' })).text).toContain('立案、跟踪与结案');
  });
});
