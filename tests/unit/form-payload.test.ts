import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../src/db/action-items.table.js';
import { InvalidInput } from '../../src/errors.js';
import { en } from '../../src/i18n/en.js';
import { readMeta, readState } from '../../src/slack/blocks/case-modals.js';
import { reminderMessage } from '../../src/slack/blocks/reminder.js';
import { channelMention, mention } from '../../src/slack/mrkdwn.js';
import { pickedUnitId, pickedUser } from '../../src/slack/payload.js';

const typed = (value: string) => ({ v: { type: 'plain_text_input', value } });

describe('readState', () => {
  it('keeps forged block ids such as __proto__ as plain data, off any prototype', () => {
    // JSON.parse, as Bolt reads the payload, makes "__proto__" an own key.
    const values = JSON.parse(JSON.stringify({ title: typed('Zhang') }).replace('{', `{"__proto__":${JSON.stringify(typed('x'))},"constructor":${JSON.stringify(typed('y'))},`));
    const out = readState({ values });
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.title).toBe('Zhang');
    expect(Object.hasOwn(out, 'supervisor')).toBe(false);
    expect(out.constructor).toBe('y');
  });
});

describe('readMeta', () => {
  it('keeps what a form remembered when it is well formed', () => {
    expect(readMeta(JSON.stringify({ channel: 'C0GROUP', ref: 'gz-2021-3', version: '2021-11-12T08:22:00.000Z', item: 12 }))).toEqual({
      channel: 'C0GROUP',
      ref: 'GZ-2021-003',
      version: '2021-11-12T08:22:00.000Z',
      item: 12,
    });
  });

  it.each([
    ['a channel that is no channel id', { channel: 'C0GROUP> <!channel' }, { channel: '' }],
    ['a reference that is none', { channel: 'C0GROUP', ref: '<!channel>' }, { channel: 'C0GROUP' }],
    ['an item id that is no number', { channel: 'C0GROUP', item: '1 or 1=1' }, { channel: 'C0GROUP' }],
    ['a version that is no string', { channel: 'C0GROUP', version: { $gt: '' } }, { channel: 'C0GROUP' }],
  ])('drops %s', (_what, meta, expected) => {
    expect(readMeta(JSON.stringify(meta))).toEqual(expected);
  });

  it('reads anything else as no channel at all', () => {
    expect(readMeta('not json')).toEqual({ channel: '' });
    expect(readMeta('null')).toEqual({ channel: '' });
  });
});

describe('picked values', () => {
  it('accepts Slack user ids only', () => {
    expect(pickedUser('U0ALICE')).toBe('U0ALICE');
    expect(pickedUser('W012ABCDEF')).toBe('W012ABCDEF');
    expect(pickedUser(null)).toBeNull();
    for (const forged of ['U1> <!channel', '<!channel>', 'u0alice', 'U', 'C0GROUP', 'U0ALICE\n']) expect(() => pickedUser(forged)).toThrow(InvalidInput);
  });

  it('accepts unit ids as docket writes them only', () => {
    expect(pickedUnitId('12')).toBe(12);
    expect(pickedUnitId(null)).toBeNull();
    for (const forged of ['1e3', '0x10', ' 1', '-1', '0', '1.5', 'abc', '99999999999']) expect(() => pickedUnitId(forged)).toThrow(InvalidInput);
  });
});

describe('mentions', () => {
  it('are built only from valid ids; anything else shows as inert text', () => {
    expect(mention('U0ALICE')).toBe('<@U0ALICE>');
    expect(mention('U1> <!channel')).toBe('U1&gt; &lt;!channel');
    expect(channelMention('C0GROUP')).toBe('<#C0GROUP>');
    expect(channelMention('C1> <!here')).toBe('C1&gt; &lt;!here');
    expect(en.supervisionSet('GZ-2021-001', 'U1> <!channel')).not.toMatch(/<!/);
  });

  it('never ping from a supervisor stored before ids were checked (escalation)', () => {
    const item = { id: 7, text: 'Verify', due_at: new Date('2021-11-01T09:00:00Z'), owner_user_id: 'U0BAO', state: 'open', snoozed_until: null } as ActionItem;
    const now = new Date('2021-11-12T08:22:00Z');
    const msg = reminderMessage({ item, kind: 'escalation', caseRef: 'GZ-2021-001', unitName: null, zone: 'Asia/Shanghai', now, fireAt: now, late: false, supervisor: 'U1> <!channel', coordinators: ['U0ALICE'] }, en);
    expect(msg.text).toContain('<@U0ALICE>');
    expect(msg.text).toContain('U1&gt; &lt;!channel');
    expect(JSON.stringify(msg)).not.toContain('<!channel');
  });
});
