import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { groupedList } from '../../src/slack/blocks/grouped-list.js';
import { checkBlocks } from '../../src/slack/fake/block-kit.js';

describe('a list across the reader’s groups', () => {
  it('stays within Slack’s 50 blocks and counts the groups it leaves out', () => {
    const line = 'x'.repeat(200);
    const sections = Array.from({ length: 30 }, (_, i) => ({ name: `Group ${i}`, channelId: `C0G${i}`, lines: Array.from({ length: 25 }, () => line) }));
    const msg = groupedList('*Title*', sections, 3, en);
    const blocks = msg.blocks!;
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(checkBlocks(blocks)).toEqual([]);
    const shown = blocks.filter((b) => b.type === 'section' && (b as { text: { text: string } }).text.text.startsWith('*Group ')).length;
    // Each group takes two sections here (5,000 characters of lines); 24 fit, 6 are left, plus the 3 left before.
    expect(shown).toBe(24);
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: en.moreGroups(6 + 3) }] });
  });

  it('escapes a group’s name in its heading', () => {
    const msg = groupedList('*Title*', [{ name: '<!channel> & co', channelId: 'C0GROUP', lines: ['a'] }], 0, en);
    expect((msg.blocks![1] as { text: { text: string } }).text.text).toBe('*&lt;!channel&gt; &amp; co* · <#C0GROUP>\na');
  });
});
