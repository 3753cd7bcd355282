import { readdir } from 'node:fs/promises';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { FakeSlack } from '../../src/slack/fake/fake-slack.js';

// The fake is part of the test harness, so it has tests of its own: if it accepted what
// Slack rejects, every other test would pass for the wrong reason.
let fake: FakeSlack;
let client: webApi.WebClient;
beforeAll(async () => {
  fake = new FakeSlack({ token: 'xoxb-fake' });
  await fake.listen();
  client = new webApi.WebClient('xoxb-fake', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
afterAll(() => fake.close());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const errorOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { error?: string; errors?: string[] } }) => [e.data?.error, ...(e.data?.errors ?? [])].join(' | '));

describe('the fake Slack Web API', () => {
  it('refuses a wrong token', async () => {
    const other = new webApi.WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await errorOf(other.auth.test())).toBe('invalid_auth');
  });

  it('records what it accepts, with nested arguments decoded', async () => {
    const res = await client.chat.postMessage({ channel: 'C0GROUP', text: 'hi', blocks: [section('*hi*')] });
    expect(res.ok).toBe(true);
    const call = fake.calls.at(-1)!;
    expect(call.args.blocks).toEqual([section('*hi*')]);
  });

  it('rejects Block Kit that Slack rejects', async () => {
    const post = (blocks: unknown[]) => errorOf(client.chat.postMessage({ channel: 'C0GROUP', text: 't', blocks: blocks as never }));
    expect(await post(Array.from({ length: 51 }, () => section('x')))).toContain('must have at most 50 blocks');
    expect(await post([section('x'.repeat(3001))])).toContain('blocks[0].text: must be at most 3000 characters');
    expect(await post([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }])).toContain('at most 150');
    expect(await post([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).toContain('must be plain_text');
    const button = (id: string) => ({ type: 'button', action_id: id, text: { type: 'plain_text', text: 'b' } });
    expect(await post([{ type: 'actions', elements: [button('a'), button('a')] }])).toContain('duplicate action_id "a"');
    expect(await post([{ type: 'actions', elements: [button('a')] }, { type: 'actions', elements: [button('a')] }])).toBe('ok');
    expect(await post([{ ...section('a'), block_id: 'x' }, { ...section('b'), block_id: 'x' }])).toContain('duplicate block_id');
    expect(await post([{ type: 'input', label: { type: 'plain_text', text: 'l' }, element: { type: 'plain_text_input' } }])).toContain('only allowed in modals');
  });

  it('answers channel_not_found and not_in_channel', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await errorOf(client.chat.postMessage({ channel: 'C0RANDOM', text: 'x' }))).toBe('not_in_channel');
    expect(await errorOf(client.chat.postMessage({ channel: 'U0GONE', text: 'x' }))).toBe('account_inactive');
  });

  it('accepts a trigger id once, and only while it is fresh', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [section('x')] as never };
    const trigger = fake.mintTrigger();
    expect((await client.views.open({ trigger_id: trigger, view })).ok).toBe(true);
    expect(await errorOf(client.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
    const stale = fake.mintTrigger();
    fake.expireTrigger(stale);
    expect(await errorOf(client.views.open({ trigger_id: stale, view }))).toBe('expired_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: 'made-up', view }))).toBe('invalid_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: fake.mintTrigger(), view: { ...view, title: { type: 'plain_text', text: 'x'.repeat(25) } } }))).toBe('invalid_arguments');
  });

  it('answers 429 with Retry-After when told to, for one channel only', async () => {
    fake.inject({ method: 'chat.postMessage', channel: 'C0GROUP', status: 429, retryAfter: 7 });
    const err = await client.chat.postMessage({ channel: 'C0GROUP', text: 'x' }).catch((e: { code: string; retryAfter: number }) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect((await client.chat.postMessage({ channel: 'C0ANNOUNCE', text: 'x' })).ok).toBe(true);
    expect((await client.chat.postMessage({ channel: 'C0GROUP', text: 'x' })).ok).toBe(true);
  });

  it('fails a call with an HTTP 5xx when told to: the client reports the status, then the next call works', async () => {
    fake.inject({ method: 'conversations.history', status: 503 });
    const err = await client.conversations.history({ channel: 'C0GROUP' }).catch((e: { code: string; statusCode: number }) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    expect(fake.callsTo('conversations.history').at(-1)).toMatchObject({ ok: false, error: 'http_503' });
    expect((await client.conversations.history({ channel: 'C0GROUP' })).ok).toBe(true);
  });

  it('updates a message the bot posted, as Slack does: by the conversation id and ts, its own messages only', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0CARLOS', text: 'old', blocks: [section('old')], metadata: { event_type: 'e', event_payload: { n: 1 } } });
    expect(posted.channel).toBe('D0CARLOS');
    const updated = await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'new', blocks: [section('new')] });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'new' });
    const msg = fake.message(posted.channel!, posted.ts!)!;
    expect(msg).toMatchObject({ text: 'new', blocks: [section('new')], metadata: { event_type: 'e' } });
    expect(msg.edited?.user).toBe(fake.botUserId);
    // Text alone drops the blocks (Slack then renders the text).
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'plain' });
    expect(fake.message(posted.channel!, posted.ts!)!.blocks).toBeUndefined();
    // A direct message is updated by its D… id, not the user id the post was addressed to.
    expect(await errorOf(client.chat.update({ channel: 'U0CARLOS', ts: posted.ts!, text: 'x' }))).toBe('channel_not_found');
    expect(await errorOf(client.chat.update({ channel: posted.channel!, ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect(await errorOf(client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'x', blocks: [section('x'.repeat(3001))] as never }))).toContain('invalid_blocks');
    // Someone else's message, a deleted one, an ephemeral one (only its response_url can change it).
    const typed = fake.postAsUser('C0GROUP', 'U0ALICE', 'mine');
    expect(await errorOf(client.chat.update({ channel: 'C0GROUP', ts: typed.ts, text: 'x' }))).toBe('cant_update_message');
    fake.deleteMessage(posted.channel!, posted.ts!);
    expect(await errorOf(client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'x' }))).toBe('message_not_found');
    const eph = await client.chat.postEphemeral({ channel: 'C0GROUP', user: 'U0ALICE', text: 'only you' });
    expect(await errorOf(client.chat.update({ channel: 'C0GROUP', ts: eph.message_ts!, text: 'x' }))).toBe('message_not_found');
    // An archived conversation takes no updates.
    fake.channels.set('C0OLD', { id: 'C0OLD', name: 'old', bot_member: true });
    const old = await client.chat.postMessage({ channel: 'C0OLD', text: 'x' });
    fake.channels.get('C0OLD')!.is_archived = true;
    expect(await errorOf(client.chat.update({ channel: 'C0OLD', ts: old.ts!, text: 'y' }))).toBe('is_archived');
  });

  it('gives each user’s locale only when asked, as Slack does', async () => {
    expect((await client.users.info({ user: 'U0BAO' })).user?.locale).toBeUndefined();
    expect((await client.users.info({ user: 'U0BAO', include_locale: true })).user?.locale).toBe('zh-CN');
  });
});

describe('migrations', () => {
  it('lists every migration file in the folder, in order', async () => {
    const files = (await readdir(new URL('../../migrations', import.meta.url))).filter((f) => /^\d{8}T\d{4}_.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations)).toEqual(files.sort());
  });
});

describe('the fake Slack with several workspaces and the OAuth install', () => {
  const APP = { clientId: '1111.2222', clientSecret: 'shh-client-secret', appId: 'A0DOCKET', redirectUrls: ['https://docket.example.org/slack/oauth_redirect'] };
  const REDIRECT = 'https://docket.example.org/slack/oauth_redirect';
  let multi: FakeSlack;
  const noToken = () => new webApi.WebClient(undefined, { slackApiUrl: multi.apiUrl, retryConfig: { retries: 0 } });
  const withToken = (token: string) => new webApi.WebClient(token, { slackApiUrl: multi.apiUrl, retryConfig: { retries: 0 } });

  beforeAll(async () => {
    multi = new FakeSlack({ token: 'xoxb-first', oauth: APP });
    await multi.listen();
    multi.addWorkspace({ id: 'T0NORTH', name: 'North', users: [{ id: 'U0NAN', name: 'nan', real_name: 'Nan', tz: 'UTC', locale: 'en-US' }], channels: [{ id: 'C0NORTH', name: 'north', bot_member: true }] });
  });
  afterAll(() => multi.close());

  /** What Slack's authorize page sends the browser back with, asked over HTTP as a browser would. */
  async function authorize(params: Record<string, string>): Promise<URL> {
    const q = new URLSearchParams({ client_id: APP.clientId, scope: 'commands,chat:write', state: 'st4te', ...params });
    const res = await fetch(`${multi.baseUrl}/oauth/v2/authorize?${q}`, { redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  it('hands out a code for the workspace asked for, exchanged once for that workspace’s bot token, in Slack’s shape', async () => {
    const back = await authorize({ team: 'T0NORTH', redirect_uri: REDIRECT });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st4te');
    const code = back.searchParams.get('code')!;
    const res = await noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT });
    expect(res).toMatchObject({ ok: true, token_type: 'bot', scope: 'commands,chat:write', bot_user_id: 'UB0NORTH', app_id: 'A0DOCKET', team: { id: 'T0NORTH', name: 'North' }, enterprise: null, authed_user: { id: 'U0NAN' }, is_enterprise_install: false });
    expect(res.access_token).toMatch(/^xoxb-/);
    // The client secret is not kept in what the fake records.
    expect(JSON.stringify(multi.callsTo('oauth.v2.access'))).not.toContain(APP.clientSecret);
    expect(await errorOf(noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT }))).toBe('invalid_code');
    // The token speaks for its workspace only.
    const north = withToken(res.access_token!);
    expect(await north.auth.test()).toMatchObject({ team_id: 'T0NORTH', user_id: 'UB0NORTH', bot_id: 'BB0NORTH' });
    expect((await north.chat.postMessage({ channel: 'C0NORTH', text: 'hi' })).ok).toBe(true);
    expect(multi.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', team: 'T0NORTH', token: res.access_token });
    expect(await errorOf(north.chat.postMessage({ channel: 'C0GROUP', text: 'hi' }))).toBe('channel_not_found');
    expect(await errorOf(withToken('xoxb-first').chat.postMessage({ channel: 'C0NORTH', text: 'hi' }))).toBe('channel_not_found');
    expect(await errorOf(north.users.info({ user: 'U0ALICE' }))).toBe('user_not_found');
  });

  it('takes the client’s credentials by HTTP Basic too, and refuses wrong ones, a stale code and another redirect URL', async () => {
    const code = async () => (await authorize({ team: 'T0NORTH', redirect_uri: REDIRECT })).searchParams.get('code')!;
    const basic = await fetch(`${multi.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: await code(), redirect_uri: REDIRECT }).toString(),
    });
    expect(((await basic.json()) as { ok: boolean }).ok).toBe(true);
    const access = (args: Record<string, string>) => errorOf(noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, redirect_uri: REDIRECT, ...args } as never));
    expect(await access({ code: await code(), client_id: '9999.9999' })).toBe('invalid_client_id');
    expect(await access({ code: await code(), client_secret: 'wrong' })).toBe('bad_client_secret');
    expect(await access({ code: 'made-up' })).toBe('invalid_code');
    expect(await access({ code: await code(), redirect_uri: 'https://elsewhere.example.org/cb' })).toBe('bad_redirect_uri');
    const stale = await code();
    multi.oauth.expireCodes();
    expect(await access({ code: stale })).toBe('invalid_code');
    // The authorize page itself refuses a redirect URL the app does not list, and a denial goes back as Slack sends it.
    const refused = await fetch(`${multi.baseUrl}/oauth/v2/authorize?${new URLSearchParams({ client_id: APP.clientId, scope: 'commands', team: 'T0NORTH', redirect_uri: 'https://evil.example.org/' })}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    const denied = await authorize({ team: 'T0NORTH', deny: '1' });
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('code')).toBeNull();
  });

  it('after an uninstall, refuses the workspace’s token (token_revoked) and leaves the other workspace’s working', async () => {
    const back = await authorize({ team: 'T0NORTH', redirect_uri: REDIRECT });
    const { access_token: token } = await noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code: back.searchParams.get('code')!, redirect_uri: REDIRECT });
    multi.uninstall('T0NORTH');
    expect(await errorOf(withToken(token!).auth.test())).toBe('token_revoked');
    expect((await withToken('xoxb-first').auth.test()).team_id).toBe('T0LOCAL');
    // Installed again: a new token, the old one stays revoked.
    const again = await authorize({ team: 'T0NORTH', redirect_uri: REDIRECT });
    const fresh = await noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code: again.searchParams.get('code')!, redirect_uri: REDIRECT });
    expect(fresh.access_token).not.toBe(token);
    expect((await withToken(fresh.access_token!).auth.test()).team_id).toBe('T0NORTH');
    expect(await errorOf(withToken(token!).auth.test())).toBe('token_revoked');
    // auth.revoke revokes the calling token.
    expect(((await withToken(fresh.access_token!).auth.revoke()) as { revoked?: boolean }).revoked).toBe(true);
    expect(await errorOf(withToken(fresh.access_token!).auth.test())).toBe('token_revoked');
  });
});
