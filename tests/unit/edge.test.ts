import { describe, expect, it } from 'vitest';
import { judge } from '../../src/slack/edge.js';

/**
 * The edge must let through everything real Slack sends docket, in the shapes Slack documents
 * (api.slack.com: slash commands, block_actions from messages, App Home and modals,
 * view_submission, url_verification, ssl_check, event_callback), including the org-wide
 * install's `team: null`. Ids and values below are Slack's documented examples, lightly edited.
 */
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const answers = (kind: string, id: string) => ({ command: ['/case'], button: ['action.done'], view: ['case.note'] })[kind as 'command']!.includes(id);
const payload = (p: unknown) => new URLSearchParams({ payload: JSON.stringify(p) }).toString();

const slashCommand = new URLSearchParams({
  token: 'gIkuvaNzQIHg97ATvDxqgjtO',
  team_id: 'T0001',
  team_domain: 'example',
  enterprise_id: 'E0001',
  enterprise_name: 'Globular Construct Inc',
  channel_id: 'C2147483705',
  channel_name: 'test',
  user_id: 'U2147483697',
  user_name: 'Steve',
  command: '/case',
  text: 'open Zhang 张某某',
  response_url: 'https://hooks.slack.com/commands/1234/5678',
  trigger_id: '13345224609.738474920.8088930838d88f008e0',
  api_app_id: 'A123456',
}).toString();

const homeClick = {
  type: 'block_actions',
  user: { id: 'U0CA5', username: 'amy', name: 'amy', team_id: 'T3MDE' },
  api_app_id: 'A0CA5',
  token: 'Shh_its_a_seekrit',
  container: { type: 'view', view_id: 'V0PKB1ZFV' },
  trigger_id: '24571818370.22717085937.b9c7ca14b7ba5fa1a0c4e2a4bea7cbe5',
  team: { id: 'T3MDE', domain: 'buildabot' },
  view: { id: 'V0PKB1ZFV', team_id: 'T3MDE', type: 'home', blocks: [] },
  actions: [{ type: 'button', block_id: 'b', action_id: 'action.done', text: { type: 'plain_text', text: 'Done' }, value: '1', action_ts: '1548426417.840180' }],
};

const orgWideSubmission = {
  type: 'view_submission',
  team: null,
  user: { id: 'W0ORGUSER', username: 'org', name: 'org', team_id: 'T0ORG' },
  api_app_id: 'A0ORG',
  trigger_id: '12345.98765.abcd2358fdea',
  view: {
    id: 'VNHU13V36',
    team_id: 'T0ORG',
    type: 'modal',
    callback_id: 'case.note',
    private_metadata: '{"channel":"C0ORG1","ref":"GZ-2026-001"}',
    blocks: [{ type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'v' } }],
    state: { values: { note: { v: { type: 'plain_text_input', value: 'Called back' } } } },
  },
  response_urls: [],
  is_enterprise_install: true,
  enterprise: { id: 'E0ORG', name: 'Org' },
};

describe('the edge, on what real Slack sends', () => {
  it.each([
    ['a slash command from an Enterprise Grid workspace', FORM, slashCommand],
    ['a button in App Home (no channel, no response_url)', FORM, payload(homeClick)],
    ['a button in a form of an org-wide install (team: null, the user names it)', FORM, payload({ ...homeClick, team: null, container: { type: 'view', view_id: 'V1' } })],
    ['a form submitted in an org-wide install (team: null, the view names it)', FORM, payload(orgWideSubmission)],
    ['Slack checking the certificate', FORM, 'ssl_check=1&token=x'],
    ['the URL check when the Events URL is set', JSON_TYPE, JSON.stringify({ token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' })],
    [
      'an event',
      JSON_TYPE,
      JSON.stringify({ token: 'x', team_id: 'T061EG9R6', api_app_id: 'A0PNCHHK2', type: 'event_callback', event_id: 'Ev0PV52K25', event_time: 1, event: { type: 'app_home_opened', user: 'U061F7AUR', channel: 'D0LAN2Q65', tab: 'home' } }),
    ],
  ])('passes %s', (_what, type, body) => {
    expect(judge(type, body, answers)).toBe('pass');
  });

  it('acknowledges and drops a button with no team anywhere as malformed, rather than working it for nobody', () => {
    const { team_id: _t, ...user } = homeClick.user;
    expect(judge(FORM, payload({ ...homeClick, team: null, user, view: undefined }), answers)).toBe('malformed');
  });

  it('ignores, rather than refuses, a valid request for something docket does not listen for', () => {
    expect(judge(FORM, slashCommand.replace('command=%2Fcase', 'command=%2Fother'), answers)).toBe('ignore');
    expect(judge(FORM, payload({ ...homeClick, actions: [{ ...homeClick.actions[0], action_id: 'legacy.button' }] }), answers)).toBe('ignore');
    expect(judge(JSON_TYPE, JSON.stringify({ type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1, api_app_id: 'A1' }), answers)).toBe('ignore');
  });
});
