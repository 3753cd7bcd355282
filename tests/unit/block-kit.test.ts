import { describe, expect, it } from 'vitest';
import { checkBlocks, checkView } from '../../src/slack/fake/block-kit.js';

const pt = (text: string) => ({ type: 'plain_text', text });
const input = (block_id: string) => ({ type: 'input', block_id, label: pt(block_id), element: { type: 'plain_text_input', action_id: 'v' } });
const button = (action_id: string) => ({ type: 'button', action_id, text: pt('Go') });

describe('the fake’s Block Kit checks', () => {
  it('accept one action id reused across blocks, as Slack does (docket’s forms do this)', () => {
    expect(checkView({ type: 'modal', title: pt('Form'), submit: pt('Save'), blocks: [input('a'), input('b')] })).toEqual([]);
  });

  it('refuse an action id repeated within one block', () => {
    expect(checkBlocks([{ type: 'actions', elements: [button('x'), button('x')] }])).toEqual([expect.stringMatching(/^blocks\[0\]\.elements\[1\]\.action_id: duplicate action_id "x"/)]);
  });
});
