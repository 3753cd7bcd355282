import { describe, expect, it } from 'vitest';
import { esc, escClip } from '../../src/lib/text.js';

describe('user text in mrkdwn', () => {
  it('shows the people and channels someone named as mentions and links', () => {
    expect(esc('ask <@U0BAO|bao> in <#C0GROUP|fugitive-recovery>')).toBe('ask <@U0BAO> in <#C0GROUP>');
    expect(esc('<@W0ENTERPRISE>')).toBe('<@W0ENTERPRISE>');
  });

  it('keeps broadcasts, user-group pings and disguised links inert', () => {
    for (const hostile of ['<!channel>', '<!here>', '<!everyone>', '<!subteam^S0TEAM|@police>', '<https://evil.example|Official notice>', '<mailto:x@y.z|HR>']) {
      expect(esc(hostile), hostile).not.toMatch(/</);
    }
    // A mention that smuggles markup in its label, or has the wrong sigil, stays text.
    expect(esc('<@U0BAO|x> <!channel>>')).toBe('<@U0BAO> &lt;!channel&gt;&gt;');
    expect(esc('<#U0BAO>')).toBe('&lt;#U0BAO&gt;');
    expect(esc('<@C0GROUP>')).toBe('&lt;@C0GROUP&gt;');
    expect(esc('R&D <3')).toBe('R&amp;D &lt;3');
  });

  it('never cuts a mention or an entity in half', () => {
    expect(escClip('see <@U0BAO12345>', 12)).toBe('see …');
    expect(escClip('a & b', 4)).toBe('a …');
  });
});
