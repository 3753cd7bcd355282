import * as chrono from 'chrono-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAction } from '../../commands/action.parse.js';
import { readDue } from '../../commands/action.shared.js';
import { parseCase } from '../../commands/case.parse.js';
import { readDate, readWhen } from '../../commands/case.shared.js';
import { parse as parseDocket } from '../../commands/docket.js';
import type { Group } from '../../src/db/groups.table.js';
import { INPUT_MAX, longerThan } from '../../src/domain/input-limits.js';
import { isTimeZone, parseDateInput, parseDateTimeInput } from '../../src/domain/time.js';
import { InvalidInput } from '../../src/errors.js';
import { en } from '../../src/i18n/en.js';

const now = new Date('2021-11-12T08:22:00Z');
const group = { time_zone: 'Asia/Shanghai' } as Group;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInput) return `${err.render(en)} | ${err.usage?.(en) ?? ''}`;
    throw err;
  }
  throw new Error('expected an InvalidInput');
}

function chronoCalls() {
  const spies = [vi.spyOn(chrono.en.casual, 'parse'), vi.spyOn(chrono.zh.casual, 'parse')];
  return () => spies.flatMap((s) => s.mock.calls.map((c) => c[0]));
}
afterEach(() => {
  vi.restoreAllMocks();
});

describe('longerThan', () => {
  it('counts characters as LIMITS does (an emoji is one), and stops early', () => {
    expect(longerThan('😀'.repeat(100), 100)).toBe(false);
    expect(longerThan('😀'.repeat(101), 100)).toBe(true);
    expect(longerThan('x'.repeat(10_000_000), 100)).toBe(true);
  });
});

describe('the whole command', () => {
  it.each([
    ['/case', () => parseCase(`note GZ-2021-001 ${'x'.repeat(4000)}`), '/case help | open'],
    ['/action', () => parseAction(`add GZ-2021-001 x due:${'十'.repeat(32_000)}`), '/action help | add'],
    ['/docket', () => parseDocket(`setup ${'x'.repeat(4001)}`), '/docket help | setup'],
  ])('%s refuses more than 4,000 characters before reading a word', (_name, run, usage) => {
    const calls = chronoCalls();
    expect(refusal(run)).toMatch(new RegExp(`^That command is too long: docket reads at most 4,000 characters\\..* \\| ${usage.replace(/\|/g, '\\|')}`));
    expect(calls()).toEqual([]);
  });

  it('reads a command of exactly 4,000 characters', () => {
    const text = `note GZ-2021-001 ${'長'.repeat(4000 - 17)}`;
    expect([...text]).toHaveLength(4000);
    expect(parseCase(text)).toMatchObject({ sub: 'note', ref: 'GZ-2021-001' });
  });
});

describe('dates and times', () => {
  it('never hands chrono more than the cap, even when called directly', () => {
    const calls = chronoCalls();
    expect(parseDateTimeInput('十'.repeat(32_000), 'Asia/Shanghai', now)).toBeUndefined();
    expect(parseDateInput('十'.repeat(32_000), 'Asia/Shanghai', now)).toBeUndefined();
    expect(calls()).toEqual([]);
  });

  it('refuses a due time, a time and a date past the cap with a short message, unparsed', () => {
    const calls = chronoCalls();
    const long = '1十'.repeat(51);
    expect(refusal(() => readDue(long, group, now))).toBe('Due is too long: at most 100 characters. | ');
    expect(refusal(() => readWhen(long, group, now))).toBe('When is too long: at most 100 characters. | ');
    expect(refusal(() => readDate(long, (m) => m.fieldSince, group, now))).toBe('At large since is too long: at most 100 characters. | ');
    expect(calls()).toEqual([]);
  });

  it('still reads a date padded to exactly the cap', () => {
    const text = `2021-11-11${' '.repeat(INPUT_MAX.when - 10)}`;
    expect(readDate(text, (m) => m.fieldSince, group, now)).toBe('2021-11-11');
  });

  it('does not ask Intl about a zone name longer than any there is', () => {
    expect(isTimeZone(`Asia/${'x'.repeat(100)}`)).toBe(false);
    expect(isTimeZone('America/Argentina/ComodRivadavia')).toBe(true);
  });
});

describe('names', () => {
  it('refuses a unit name longer than any unit can have', () => {
    expect(refusal(() => parseDocket(`units remove ${'P'.repeat(81)}`))).toBe('Origin unit is too long: at most 80 characters. | /docket units [list] | add NAME [contact:@user] | rename NAME NEW | contact NAME @user|none | remove NAME');
    expect(refusal(() => parseDocket(`members set <@U0BAO> unit:${'P'.repeat(81)}`))).toContain('Origin unit is too long');
  });
});
