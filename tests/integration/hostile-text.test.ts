import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { ACTIONS } from '../../src/slack/blocks/case-card.js';
import { useHarness } from '../helpers/harness.js';

const clock = new ManualClock(new Date('2021-11-12T08:22:00Z'));
const h = useHarness({ clock });

/** Nothing a user typed may reach a reply as live mrkdwn: no <!channel>, no disguised link. */
const live = /<(?:!|https?:)/;

describe('text typed by one user, shown to another', () => {
  it('escapes the group name shown to someone who is not a member', async () => {
    await h.command('/docket setup <https://evil.example|Official notice> prefix:GZ tz:Asia/Shanghai');
    const r = await h.command('/case list', { user: 'U0ERIN' });
    expect(r.text).toBe('You are not a member of *&lt;https://evil.example|Official notice&gt;*. A coordinator can add you with `/docket members add @you`.');
    const zh = await h.command('/case list', { user: 'U0BAO' });
    expect(zh.text).toContain('*&lt;https://evil.example|Official notice&gt;*');
  });

  it('shows the people and channels a note names as mentions and links, and keeps the rest inert', async () => {
    await h.command('/docket setup Office prefix:GZ');
    await h.command('/case open Zhang');
    await h.command('/case note GZ-2021-001 ask <@U0BAO|bao> in <#C0GROUP|office>; <!channel> <!subteam^S0POL|@police> <https://evil.example|the file>');
    const history = JSON.stringify((await h.command('/case history GZ-2021-001')).reply!.args.blocks);
    expect(history).toContain('ask <@U0BAO> in <#C0GROUP>; &lt;!channel&gt; &lt;!subteam^S0POL|@police&gt; &lt;https://evil.example|the file&gt;');
    expect(history).not.toMatch(live);
  });

  it('escapes the name of a channel that is already a group', async () => {
    await h.command('/docket setup <!channel> prefix:GZ');
    const r = await h.command('/docket setup Again prefix:AG');
    expect(r.text).toBe('This channel is already the group *&lt;!channel&gt;*. Change it with `/docket settings`.');
  });

  it('escapes the title in the case card’s fallback text', async () => {
    await h.command('/docket setup Office prefix:GZ');
    await h.command('/case open <!channel> see <https://evil.example|the file>');
    const card = await h.command('/case show GZ-2021-001');
    expect(card.reply?.args.text).toBe('GZ-2021-001 · &lt;!channel&gt; see &lt;https://evil.example|the file&gt;');
  });

  it('escapes what /action could not understand', async () => {
    await h.command('/docket setup Office prefix:GZ');
    const replies = await Promise.all(
      [
        '/action show <!channel>',
        '/action list <https://evil.example|x>',
        '/action add <!here> text due:tomorrow',
        '/action reassign 1 <!channel>',
        '/action snooze 1 <!everyone>',
        '/action settings <!channel>',
        '/action settings before:<!channel>',
        '/action <!channel>',
      ].map((c) => h.command(c)),
    );
    for (const r of replies) {
      expect(r.text).toMatch(/&lt;!(channel|here|everyone)&gt;|&lt;https:\/\/evil\.example\|x&gt;/);
      expect(r.text).not.toMatch(live);
    }
  });

  it('escapes a case reference that came back from a forged button', async () => {
    await h.command('/docket setup Office prefix:GZ');
    const r = await h.click(ACTIONS.show, '<!channel>');
    expect(r.text).not.toMatch(live);
    // Refused as a stale button before any lookup; were it looked up, the reference would be escaped.
    expect(r.text).toBe('That button no longer works. Please run the command again.');
  });
});

describe('words that are names on Object.prototype', () => {
  const words = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

  it.each(words)('“%s” gets the usage line, never the internal error', async (word) => {
    await h.command('/docket setup Office prefix:GZ');
    await h.command('/case open Zhang');
    const replies = await Promise.all(
      [
        `/case edit GZ-2021-001 ${word} x`,
        `/case status GZ-2021-001 ${word}`,
        `/case ${word}`,
        `/case list ${word}`,
        `/case close GZ-2021-001 ${word}`,
        `/case money GZ-2021-001 ${word} 5`,
        `/action ${word}`,
        `/action snooze 1 ${word}`,
        `/action settings ${word}:1 before:${word}`,
        `/docket ${word}`,
        `/docket members set <@U0BAO> role:${word}`,
      ].map((c) => h.command(c)),
    );
    for (const r of replies) {
      expect(r.text).not.toBe('Something went wrong on our side and nothing was changed. Please try again in a moment.');
      expect(r.text).toMatch(/\nUsage: \//);
    }
    expect(replies[0]!.text).toBe(`“${word}” is not a field I can edit: title, subject, category, unit, opened, since, location.\nUsage: /case edit REF [title|subject|category|unit|opened|since|location VALUE]`);
    expect(replies[1]!.text).toBe(`“${word}” is not a status: use open, located, in custody or on hold.\nUsage: /case status REF open|located|in custody|on hold [WHEN] [region:REGION] [city:CITY]`);
    const [c] = await h.db.selectFrom('cases').selectAll().execute();
    expect(c).toMatchObject({ title: 'Zhang', status: 'open' });
  });

  it('refuses a forged form whose status is such a word, inline', async () => {
    await h.command('/docket setup Office prefix:GZ');
    await h.command('/case open Zhang');
    const click = await h.click(ACTIONS.status, 'GZ-2021-001');
    const view = h.openedView(click.triggerId);
    for (const status of ['constructor', '__proto__']) {
      const res = await h.submit(view, { status });
      expect(res.body).toEqual({ response_action: 'errors', errors: { status: 'Status is required.' } });
    }
    const [c] = await h.db.selectFrom('cases').selectAll().execute();
    expect(c!.status).toBe('open');
  });
});
