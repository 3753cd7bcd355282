import { describe, expect, it } from 'vitest';
import { parseAction, splitOptions } from '../../commands/action.parse.js';
import { InvalidInput } from '../../src/errors.js';
import { en } from '../../src/i18n/en.js';

const fails = (text: string) => {
  try {
    parseAction(text);
  } catch (err) {
    if (err instanceof InvalidInput) return `${err.render(en)} | ${err.usage?.(en)}`;
    throw err;
  }
  return 'parsed';
};

describe('/action parsing', () => {
  it('splits free text from owner and a due time with spaces in it', () => {
    expect(parseAction('add gz-2021-3 Verify bank records owner:<@U01|li> due:next Friday 17:00')).toEqual({
      sub: 'add',
      ref: 'GZ-2021-003',
      text: 'Verify bank records',
      owner: { user: 'U01' },
      due: 'next Friday 17:00',
    });
  });

  it('takes a unit as owner, quoted or not, and Chinese keys and values', () => {
    expect(parseAction('add GZ-2021-003 Freeze accounts due:下周五17:00 unit:"Public Security"')).toMatchObject({ owner: { unit: 'Public Security' }, due: '下周五17:00' });
    expect(parseAction('add GZ-2021-003 冻结账户 负责人:unit:公安 截止:明天上午9点')).toMatchObject({ text: '冻结账户', owner: { unit: '公安' }, due: '明天上午9点' });
  });

  it('reads item numbers with or without #, and the list filters', () => {
    expect(parseAction('done #12')).toEqual({ sub: 'done', no: 12 });
    expect(parseAction('due 12 in 3 days')).toEqual({ sub: 'due', no: 12, when: 'in 3 days' });
    expect(parseAction('reassign 12 unit:Police')).toEqual({ sub: 'reassign', no: 12, owner: { unit: 'Police' } });
    expect(parseAction('list GZ-2021-003 mine overdue unit:Police')).toEqual({ sub: 'list', ref: 'GZ-2021-003', mine: true, overdue: true, unit: 'Police' });
  });

  it('answers mistakes with the message and the usage line', () => {
    expect(fails('add GZ-2021-003 Verify')).toBe('Missing due:WHEN. | /action add REF TEXT [owner:@user|unit:NAME] due:WHEN');
    expect(fails('done twelve')).toContain('“twelve” is not an action item number');
    expect(fails('snooze 12 2h')).toContain('use 1h, 1d or 1w');
    expect(fails('reassign 12 li')).toContain('“li” is not a Slack user');
    expect(fails('frobnicate')).toContain('`/action frobnicate` is not a command I know');
  });

  it('keeps text that merely mentions a key word', () => {
    expect(splitOptions('Ask about the overdue payment due:tomorrow')).toEqual({ text: 'Ask about the overdue payment', options: { due: 'tomorrow' } });
  });
});
