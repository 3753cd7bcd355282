import { describe, expect, it } from 'vitest';
import { blockActionPayload, commandBody, interactionBody, send, signedPost } from '../../src/slack/fake/sender.js';
import { ITEM_ACTIONS } from '../../src/slack/blocks/action-item.js';
import { SECRET, TEAM, useHarness } from '../helpers/harness.js';

const h = useHarness({ group: true });

const FORM = 'application/x-www-form-urlencoded';

function help(triggerId: string, over: Record<string, string> = {}) {
  const fields = new URLSearchParams(commandBody({ command: '/case', text: 'help', teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId, responseUrl: h.fake.responseUrl(triggerId) }));
  for (const [k, v] of Object.entries(over)) fields.set(k, v);
  return fields.toString();
}

function post(body: string, contentType = FORM, timestamp?: number) {
  const signed = signedPost(SECRET, body, FORM, timestamp === undefined ? {} : { timestamp });
  return send(`${h.url}/slack/events`, { body, headers: { ...signed.headers, 'content-type': contentType } });
}

const repliesTo = (trigger: string) => h.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === trigger);

describe('the front door of /slack/events', () => {
  it.each([
    ['six minutes ahead', 6 * 60],
    ['a year ahead', 365 * 24 * 3600],
  ])('refuses a correctly signed request stamped %s (401) and does nothing', async (_what, ahead) => {
    const trigger = h.fake.mintTrigger();
    const res = await post(help(trigger), FORM, Math.floor(Date.now() / 1000) + ahead);
    expect(res.status).toBe(401);
    await h.command('/case help'); // a later request is answered, so the refused one had its chance
    expect(repliesTo(trigger)).toHaveLength(0);
  });

  it('refuses a timestamp given in milliseconds (401)', async () => {
    const trigger = h.fake.mintTrigger();
    expect((await post(help(trigger), FORM, Date.now())).status).toBe(401);
  });

  it.each([
    ['a command without a user', () => help(h.fake.mintTrigger(), { user_id: '' })],
    ['a NUL byte in channel_id', () => help(h.fake.mintTrigger(), { channel_id: 'C0GROUP\u0000' })],
    ['a channel id that is a mention', () => help(h.fake.mintTrigger(), { channel_id: 'C1> <!channel' })],
    ['a payload that is not JSON', () => 'payload=%7Bnot-json'],
    ['a payload that is an array', () => interactionBody([1, 2])],
    ['a payload with no type', () => interactionBody({ user: { id: 'U0ALICE' } })],
    ['block_actions without actions', () => interactionBody({ type: 'block_actions', user: { id: 'U0ALICE' }, team: { id: TEAM }, trigger_id: '1.2.3' })],
    ['block_actions with a null user', () => interactionBody({ type: 'block_actions', user: null, team: { id: TEAM }, trigger_id: '1.2.3', actions: [{ action_id: ITEM_ACTIONS.done }] })],
    ['view_submission without state', () => interactionBody({ type: 'view_submission', user: { id: 'U0ALICE' }, team: { id: TEAM }, view: { id: 'V1', callback_id: 'x', blocks: [] } })],
    ['a payload type Slack does not have', () => interactionBody({ type: 'made_up' })],
  ])('answers %s with 400 at once', async (_what, body) => {
    const res = await post(body());
    expect(res.status).toBe(400);
    expect(h.logs.lines.some((l) => l.msg === 'handler failed' || l.level >= 50)).toBe(false);
  });

  it('answers an event body that is not an event with 400', async () => {
    expect((await post(JSON.stringify({ type: 'event_callback' }), 'application/json')).status).toBe(400);
    expect((await post('[]', 'application/json')).status).toBe(400);
  });

  it('acknowledges at once, and ignores, what docket does not listen for: a shortcut, a closed form, an unknown button', async () => {
    expect((await post(interactionBody({ type: 'shortcut', callback_id: 'x', trigger_id: '1.2.3' }))).status).toBe(200);
    expect((await post(interactionBody({ type: 'view_closed', view: { id: 'V1' } }))).status).toBe(200);
    const trigger = h.fake.mintTrigger();
    const click = blockActionPayload({ teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId: trigger, responseUrl: h.fake.responseUrl(trigger), actionId: 'no.such.button', value: '1' });
    expect((await post(interactionBody(click))).status).toBe(200);
    expect(await h.db.selectFrom('request_inbox').select('key').execute()).not.toContainEqual({ key: `act:${trigger}` });
  });

  it('refuses a body over the size cap with 413', async () => {
    const res = await post(help(h.fake.mintTrigger(), { text: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('takes Slack’s content type exactly as Slack sends it, and nothing else', async () => {
    expect((await post(help(h.fake.mintTrigger()), 'text/plain')).status).toBe(400);
    const r = await h.command('/case help');
    expect(r.status).toBe(200);
    expect(r.text).toContain('/case open');
  });
});
