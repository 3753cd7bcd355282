import { describe, expect, it } from 'vitest';
import { readState } from '../../src/slack/blocks/case-modals.js';

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
