import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { useHarness } from '../helpers/harness.js';

const h = useHarness({ clock: new ManualClock(new Date('2021-11-12T08:22:00Z')) });

const joined = { type: 'member_joined_channel', user: 'U0DOCKETBOT', channel: 'C0RANDOM', channel_type: 'C', team: 'T0LOCAL', inviter: 'U0BAO' };

describe('events', () => {
  const greetings = (channel: string) => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.channel === channel);

  it('tells whoever invited it, once, how to make the channel a group, however often Slack delivers the event', async () => {
    h.fake.channels.get('C0RANDOM')!.bot_member = true;
    await h.event(joined, { eventId: 'Ev001' });
    await h.event(joined, { eventId: 'Ev001', retryNum: 1 });
    await h.event(joined, { eventId: 'Ev001', retryNum: 2 });
    const told = greetings('C0RANDOM');
    expect(told).toHaveLength(1);
    expect(told[0]!.ok).toBe(true);
    expect(told[0]!.args.user).toBe('U0BAO'); // only the inviter sees it
    expect(told[0]!.args.text).toContain('/docket setup'); // in the inviter's language
    expect(told[0]!.args.text).toContain('你好');
    expect(h.posts('C0RANDOM')).toHaveLength(0); // nothing for the whole channel outside the outbox
  });

  it('says nothing when it joins a channel that is already a group', async () => {
    await h.setupGroup();
    await h.event({ ...joined, channel: 'C0GROUP' }, { eventId: 'Ev002' });
    expect(h.posts('C0GROUP')).toHaveLength(0);
    expect(greetings('C0GROUP')).toHaveLength(0);
  });
});

describe('logs', () => {
  it('never contain case titles, subjects, notes, plans or tokens', async () => {
    await h.setupGroup();
    const secret = ['张某某', 'Zhong Mouren', 'Lhasa safe house', 'approach via brother'];
    await h.command(`/case open ${secret[0]} ${secret[1]}`);
    await h.command(`/case edit GZ-2021-001 location ${secret[2]}`);
    await h.command(`/case plan GZ-2021-001 ${secret[3]}`);
    await h.command(`/case note GZ-2021-001 ${secret[0]} seen`);
    await h.command('/case bogus 张某某');
    await h.command(`/case money GZ-2021-001 recovered lots ${secret[0]}`);
    const view = h.openedView((await h.command('/case open')).triggerId);
    await h.submit(view, { title: secret[1]!, subject: secret[0]!, opened: '2021-01-01', amount: 'nope' });
    const all = h.logs.raw.join('\n');
    expect(h.logs.lines.some((l) => l.msg === 'handled' && l.sub === 'plan')).toBe(true);
    for (const s of [...secret, 'xoxb-test-token', 'test-signing-secret']) expect(all).not.toContain(s);
  });
});
