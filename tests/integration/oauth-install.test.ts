import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeUser } from '../../src/slack/fake/directory.js';
import { commandBody } from '../../src/slack/fake/sender.js';
import { openToken, parseTokenKeys, TokenUnreadable } from '../../src/lib/token-crypto.js';
import { InstallationTokens, InstallRefused, PostgresInstallationStore, resealTokens } from '../../src/slack/installations.js';
import { NotInstalled } from '../../src/slack/clients.js';
import { useHarness } from '../helpers/harness.js';
import { advanceAndDeliver, reminderPosts, sh } from '../helpers/reminders.js';

/**
 * Many workspaces on one deployment: docket installed into two fake workspaces through Slack's
 * OAuth flow, a command run in each, a reminder delivered in each with that workspace's own
 * token, and one workspace uninstalling docket without the other noticing.
 */
const CLIENT_ID = '1234567890.1234567890';
const CLIENT_SECRET = 'oauth-test-client-secret';
const KEY = randomBytes(32).toString('base64');
const START = sh('2026-12-01T10:00:00');
const clock = new ManualClock(START);

const h = useHarness({
  clock,
  workers: true,
  env: {
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: 'oauth-test-state-secret-0123456789',
    TOKEN_ENCRYPTION_KEYS: `k1:${KEY}`,
    SLACK_CHANNEL_INTERVAL_MS: '100',
  },
  fake: { oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, appId: 'A0DOCKET' } },
});

beforeEach(() => {
  clock.set(START);
  // Outbox ids restart with each test: the last test's delivery lines must not match.
  h.logs.lines.length = 0;
});

const person = (id: string, name: string): FakeUser => ({ id, name, real_name: name, tz: 'Asia/Shanghai', locale: 'en-US' });
/** Two workspaces, each with a coordinator, an owner of action items and a group channel. */
const WS = {
  north: { team: 'T0NORTH', coordinator: 'U0NAN', owner: 'U0NING', channel: 'C0NORTH', prefix: 'NO' },
  south: { team: 'T0SOUTH', coordinator: 'U0SAM', owner: 'U0SUI', channel: 'C0SOUTH', prefix: 'SO' },
} as const;
type Ws = (typeof WS)[keyof typeof WS];

let added = false;
function addWorkspaces(): void {
  if (added) return;
  added = true;
  for (const w of Object.values(WS)) {
    h.fake.addWorkspace({ id: w.team, name: w.team, users: [person(w.coordinator, w.coordinator.toLowerCase()), person(w.owner, w.owner.toLowerCase())], channels: [{ id: w.channel, name: w.channel.toLowerCase(), bot_member: true }] });
  }
}

/** The state cookie /slack/install set, as the browser sends it back. */
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

/** Starts an install as a browser does: docket's install path sends it on to Slack's authorize page. */
async function startInstall(): Promise<{ authorize: URL; cookie: string }> {
  const res = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = cookieOf(res);
  expect(cookie).toMatch(/^slack-app-oauth-state=.+/);
  return { authorize: new URL(res.headers.get('location')!), cookie };
}

/** Slack's authorize page, approved for `team` by `user`: where it sends the browser back to. */
async function approve(authorize: URL, team: string, user: string): Promise<URL> {
  const url = new URL(authorize);
  url.searchParams.set('team', team);
  url.searchParams.set('user', user);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function finish(back: URL, cookie: string | undefined): Promise<{ status: number; body: string }> {
  const res = await fetch(back, { headers: { ...(cookie ? { cookie } : {}), 'accept-language': 'en-US,en;q=0.9' }, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

/** The whole flow: /slack/install → Slack → /slack/oauth_redirect with the state cookie. */
async function install(w: Ws): Promise<void> {
  addWorkspaces();
  const { authorize, cookie } = await startInstall();
  const back = await approve(authorize, w.team, w.coordinator);
  const done = await finish(back, cookie);
  expect(done.status, done.body).toBe(200);
  expect(done.body).toContain('docket is installed');
}

const tokenOf = (w: Ws) => h.fake.oauth.tokenOf(w.team)!;
const installation = (w: Ws) => h.db.selectFrom('installations').selectAll().where('team_id', '=', w.team).executeTakeFirst();

/** A group in the workspace's channel, a case, and an item due at `due` (wall time in Shanghai) for its owner. */
async function groupWithItem(w: Ws, due: string): Promise<void> {
  const as = { team: w.team, user: w.coordinator, channel: w.channel };
  const setup = await h.command(`/docket setup ${w.team} Office prefix:${w.prefix} tz:Asia/Shanghai currency:CNY`, as);
  expect(setup.text).toContain('set up');
  expect((await h.command(`/docket members add <@${w.owner}|${w.owner.toLowerCase()}>`, as)).text).toContain(w.owner);
  expect((await h.command('/case open Someone, fled 2003', as)).text).toContain(`${w.prefix}-2026-001`);
  const item = await h.command(`/action add ${w.prefix}-2026-001 Verify records owner:<@${w.owner}|x> due:${due}`, as);
  expect(item.text).toMatch(/#\d+/);
  await h.settled();
}

/** Successful posts to a person or channel, with the workspace and token that made them. */
const postsTo = (to: string) => reminderPosts(h).filter((p) => p.args.channel === to).map((p) => ({ kind: p.args.metadata?.event_payload?.kind, team: p.team, token: p.token }));

describe('installing docket through OAuth', () => {
  it('stores the workspace with its bot token sealed, and refuses a callback whose state is missing, forged or another browser’s', async () => {
    addWorkspaces();
    // Without the browser's state cookie (another browser, or a forged link): refused.
    const first = await startInstall();
    expect(first.authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(first.authorize.searchParams.get('redirect_uri')).toBe(`${h.url}/slack/oauth_redirect`);
    expect(first.authorize.searchParams.get('scope')!.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'users:read', 'im:write']));
    const noCookie = await finish(await approve(first.authorize, WS.north.team, WS.north.coordinator), undefined);
    expect(noCookie.status).toBe(400);
    expect(noCookie.body).toContain('This install link has expired, or was opened in another browser');
    // A state that is not the one docket signed (cookie and link agree, the signature does not).
    const forged = await startInstall();
    const back = await approve(forged.authorize, WS.north.team, WS.north.coordinator);
    const state = back.searchParams.get('state')!;
    const tampered = `${state.slice(0, -3)}${state.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    back.searchParams.set('state', tampered);
    expect((await finish(back, `slack-app-oauth-state=${tampered}`)).status).toBe(400);
    // Another browser's state: the cookie does not match the link.
    const mine = await startInstall();
    const theirs = await startInstall();
    expect((await finish(await approve(theirs.authorize, WS.north.team, WS.north.coordinator), mine.cookie)).status).toBe(400);
    // Missing code: refused too; a Chinese browser reads why in Chinese.
    const zh = await fetch(`${h.url}/slack/oauth_redirect?state=x`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.status).toBe(400);
    expect(await zh.text()).toContain('请从安装页面重新开始');
    expect(await h.db.selectFrom('installations').select('team_id').execute()).toEqual([]);

    await install(WS.north);
    const row = (await installation(WS.north))!;
    expect(row).toMatchObject({ team_id: 'T0NORTH', bot_user_id: 'UB0NORTH', bot_id: 'BB0NORTH', app_id: 'A0DOCKET', installer_user_id: 'U0NAN', token_key_id: 'k1', uninstalled_at: null, enterprise_id: null });
    expect(row.bot_scopes).toEqual(expect.arrayContaining(['commands', 'chat:write']));
    // The token itself is nowhere in the row, nor in any log line.
    const token = tokenOf(WS.north);
    expect(token).toMatch(/^xoxb-/);
    expect(row.bot_token_enc!.includes(Buffer.from(token))).toBe(false);
    expect(row.bot_token_enc!.includes(Buffer.from(token.slice(-16)))).toBe(false);
    expect(JSON.stringify({ ...row, bot_token_enc: row.bot_token_enc!.toString('latin1') })).not.toContain(token.slice(-16));
    expect(h.logs.raw.join('\n')).not.toContain(token.slice(-16));
    expect(h.logs.lines.some((l) => l.msg === 'workspace installed' && l.team === 'T0NORTH')).toBe(true);
    // The exchange went with the app's credentials, and the token was checked with auth.test.
    expect(h.fake.callsTo('oauth.v2.access').at(-1)).toMatchObject({ ok: true, args: { client_id: CLIENT_ID } });
    expect(h.fake.calls.some((c) => c.method === 'auth.test' && c.team === 'T0NORTH' && c.ok)).toBe(true);
  });

  it('serves two workspaces side by side, each with its own token, and one uninstalling leaves the other untouched', async () => {
    await install(WS.north);
    await install(WS.south);
    expect(tokenOf(WS.north)).not.toBe(tokenOf(WS.south));

    // A command in each workspace: every Slack call it makes goes with that workspace's token.
    const mark = h.fake.calls.length;
    await groupWithItem(WS.north, '2026-12-01 12:00');
    await groupWithItem(WS.south, '2026-12-01 12:00');
    const calls = h.fake.calls.slice(mark).filter((c) => c.team !== undefined);
    expect(calls.length).toBeGreaterThan(4);
    for (const c of calls) expect(c.token, c.method).toBe(h.fake.oauth.tokenOf(c.team!));
    expect(calls.filter((c) => !c.ok).map((c) => `${c.method} ${c.error}`)).toEqual([]);
    expect(new Set(calls.filter((c) => c.method === 'users.info' && c.args.user === 'U0NAN').map((c) => c.team))).toEqual(new Set(['T0NORTH']));
    expect(new Set(calls.filter((c) => c.method === 'users.info' && c.args.user === 'U0SAM').map((c) => c.team))).toEqual(new Set(['T0SOUTH']));

    // An hour before the due time, each owner is reminded, with their own workspace's token.
    const before = await advanceAndDeliver(h, clock, sh('2026-12-01T11:00:00'));
    expect(before.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(postsTo(WS.north.owner)).toEqual([{ kind: 'item.before', team: 'T0NORTH', token: tokenOf(WS.north) }]);
    expect(postsTo(WS.south.owner)).toEqual([{ kind: 'item.before', team: 'T0SOUTH', token: tokenOf(WS.south) }]);

    // The north workspace uninstalls docket: Slack revokes its token and sends app_uninstalled.
    const schedulesOf = (w: Ws) => h.db.selectFrom('schedules').select(['key', 'suspended_at', 'enabled']).where('team_id', '=', w.team).orderBy('key').execute();
    const southSchedules = await schedulesOf(WS.south);
    const southOutbox = await h.db.selectFrom('outbox').select(['id', 'state', 'error', 'fire_at']).where('team_id', '=', 'T0SOUTH').orderBy('id').execute();
    expect((await schedulesOf(WS.north)).length).toBeGreaterThan(0);
    h.fake.uninstall('T0NORTH');
    expect((await h.event({ type: 'app_uninstalled' }, { eventId: 'Ev0NORTHGONE', team: 'T0NORTH' })).status).toBe(200);

    const gone = (await installation(WS.north))!;
    expect(gone.uninstalled_at).not.toBeNull();
    expect(gone.bot_token_enc).toBeNull();
    expect((await installation(WS.south))!.uninstalled_at).toBeNull();
    // Its schedules are suspended, not deleted, and its messages still to come (the reminder at
    // the due time, the escalation to the channel days later) will not be sent.
    expect((await schedulesOf(WS.north)).every((s) => s.suspended_at !== null)).toBe(true);
    const north = await h.db.selectFrom('outbox').select(['kind', 'state', 'error']).where('team_id', '=', 'T0NORTH').where('state', '<>', 'sent').orderBy('kind').execute();
    expect(north).toEqual([
      { kind: 'item.due', state: 'failed', error: 'app_uninstalled' },
      { kind: 'item.escalation', state: 'failed', error: 'app_uninstalled' },
    ]);
    expect(await h.db.selectFrom('outbox').select('id').where('team_id', '=', 'T0NORTH').where('state', 'in', ['pending', 'claimed']).execute()).toEqual([]);
    // The south workspace: exactly as it was.
    expect(await schedulesOf(WS.south)).toEqual(southSchedules);
    expect(await h.db.selectFrom('outbox').select(['id', 'state', 'error', 'fire_at']).where('team_id', '=', 'T0SOUTH').orderBy('id').execute()).toEqual(southOutbox);
    // The north group's audit log says what happened; the log line carries the team, not names.
    const audit = await h.db.selectFrom('audit_events').select(['team_id', 'kind', 'actor_user_id', 'after']).where('kind', 'like', 'workspace.%').execute();
    expect(audit).toEqual([{ team_id: 'T0NORTH', kind: 'workspace.uninstalled', actor_user_id: 'docket', after: { reason: 'app_uninstalled', schedules: (await schedulesOf(WS.north)).length, messages: 2 } }]);
    const line = h.logs.lines.find((l) => l.msg === 'workspace uninstalled')!;
    expect(line).toMatchObject({ team: 'T0NORTH', reason: 'app_uninstalled', changed: true, messages: 2, groups: 1 });

    // Slack delivers the event again, and then tokens_revoked for the same bot: nothing changes.
    expect((await h.event({ type: 'app_uninstalled' }, { eventId: 'Ev0NORTHGONE', team: 'T0NORTH', retryNum: 1 })).status).toBe(200);
    expect((await h.event({ type: 'tokens_revoked', tokens: { bot: ['UB0NORTH'] } }, { eventId: 'Ev0NORTHREVOKED', team: 'T0NORTH' })).status).toBe(200);
    expect(h.logs.lines.filter((l) => l.msg === 'workspace uninstalled').map((l) => l.changed)).toEqual([true, false]);
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', 'like', 'workspace.%').execute()).toHaveLength(1);

    // At the due time the south owner is reminded as ever; nothing goes to the north workspace.
    const since = h.fake.calls.length;
    const due = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(due.map((o) => [o.team, o.outcome])).toEqual([['T0SOUTH', 'sent']]);
    expect(postsTo(WS.south.owner).at(-1)).toEqual({ kind: 'item.due', team: 'T0SOUTH', token: tokenOf(WS.south) });
    expect(h.fake.calls.slice(since).filter((c) => c.team === 'T0NORTH')).toEqual([]);
    // A command from the uninstalled workspace finds no installation: Bolt does not run it.
    const trigger = h.fake.mintTrigger();
    const from = h.logs.lines.length;
    const body = commandBody({ command: '/docket', text: 'help', teamId: 'T0NORTH', userId: WS.north.coordinator, channelId: WS.north.channel, triggerId: trigger, responseUrl: h.fake.responseUrl(trigger) });
    expect((await h.post(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    await h.logs.waitFor((l) => l.msg === 'bolt error' && l.err?.code === 'slack_bolt_authorization_error', from);
    expect(h.logs.lines.slice(from).some((l) => l.key === `cmd:${trigger}`)).toBe(false);
    expect(h.fake.calls.filter((c) => c.args.response_id === trigger)).toEqual([]);
  });

  it('installed again, resumes the workspace’s schedules and sends what is still ahead, with the new token', async () => {
    await install(WS.north);
    await groupWithItem(WS.north, '2026-12-02 12:00');
    const oldToken = tokenOf(WS.north);
    h.fake.uninstall('T0NORTH');
    await h.event({ type: 'app_uninstalled' }, { eventId: 'Ev0NORTHBYE', team: 'T0NORTH' });
    const upcoming = () => h.db.selectFrom('outbox').select(['kind', 'state']).where('team_id', '=', 'T0NORTH').where('kind', 'in', ['item.before', 'item.due', 'item.escalation']).orderBy('fire_at').execute();
    const kinds = ['item.before', 'item.before', 'item.due', 'item.escalation'];
    expect(await upcoming()).toEqual(kinds.map((kind) => ({ kind, state: 'failed' })));

    await install(WS.north);
    const newToken = tokenOf(WS.north);
    expect(newToken).not.toBe(oldToken);
    const row = (await installation(WS.north))!;
    expect(row.uninstalled_at).toBeNull();
    expect(await h.db.selectFrom('schedules').select('suspended_at').where('team_id', '=', 'T0NORTH').where('suspended_at', 'is not', null).execute()).toEqual([]);
    expect(await upcoming()).toEqual(kinds.map((kind) => ({ kind, state: 'pending' })));
    expect((await h.db.selectFrom('audit_events').select('kind').where('kind', 'like', 'workspace.%').orderBy('id').execute()).map((a) => a.kind)).toEqual(['workspace.uninstalled', 'workspace.reinstalled']);

    // A day before the due time, the first reminder goes out, with the token of the new install.
    const [sent] = await advanceAndDeliver(h, clock, sh('2026-12-01T12:00:00'));
    expect(sent).toMatchObject({ outcome: 'sent', team: 'T0NORTH' });
    expect(postsTo(WS.north.owner).at(-1)).toEqual({ kind: 'item.before', team: 'T0NORTH', token: newToken });
  });

  it('rotates the key: npm run rotate-tokens seals every token again with the new first key, and the old key can then go', async () => {
    await install(WS.north);
    await install(WS.south);
    const k2 = randomBytes(32).toString('base64');
    const root = new URL('../..', import.meta.url).pathname;
    // The real command, with the new key first and the old one still there.
    const env = { PATH: process.env.PATH ?? '', ...h.env, TOKEN_ENCRYPTION_KEYS: `k2:${k2},k1:${KEY}` };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/rotate-tokens.ts'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 workspace token(s) sealed again with key "k2"');
    const rows = await h.db.selectFrom('installations').select(['team_id', 'token_key_id', 'bot_token_enc']).orderBy('team_id').execute();
    expect(rows.map((x) => x.token_key_id)).toEqual(['k2', 'k2']);
    // The new key alone opens them now; the old one alone no longer does.
    const onlyNew = parseTokenKeys(`k2:${k2}`);
    for (const w of [WS.north, WS.south]) expect(await new InstallationTokens(h.db, onlyNew).tokenFor(w.team)).toBe(tokenOf(w));
    expect(() => openToken(parseTokenKeys(`k1:${KEY}`), rows[0]!.team_id, 'k2', rows[0]!.bot_token_enc!)).toThrow(TokenUnreadable);
    // Run again: nothing left to do. With no key that opens them, nothing is touched, and it says which.
    expect(await resealTokens(h.db, parseTokenKeys(`k2:${k2},k1:${KEY}`))).toEqual({ resealed: 0, unreadable: [] });
    expect(await resealTokens(h.db, parseTokenKeys(`k3:${randomBytes(32).toString('base64')}`))).toEqual({ resealed: 0, unreadable: ['T0NORTH', 'T0SOUTH'] });
    expect((await h.db.selectFrom('installations').select('token_key_id').execute()).map((x) => x.token_key_id)).toEqual(['k2', 'k2']);
  });

  it('refuses an org-wide install and an install without a bot, and knows no token for a workspace never installed', async () => {
    const store = new PostgresInstallationStore({ db: h.db, keys: parseTokenKeys(`k1:${KEY}`), log: h.docket.deps.log, clock, hooks: { reinstalled: async () => [], installed: async () => undefined, uninstall: async () => undefined } });
    const bot = { token: 'xoxb-org-token', scopes: ['commands'], id: 'B0ORG', userId: 'U0ORGBOT' };
    const org = { team: undefined, enterprise: { id: 'E0GRID', name: 'Grid' }, user: { id: 'U0ADMIN', token: undefined, scopes: undefined }, bot, isEnterpriseInstall: true, authVersion: 'v2' } as const;
    await expect(store.storeInstallation(org as never)).rejects.toMatchObject({ code: 'org_install_not_supported' });
    await expect(store.fetchInstallation({ teamId: undefined, enterpriseId: 'E0GRID', isEnterpriseInstall: true })).rejects.toBeInstanceOf(InstallRefused);
    const noBot = { team: { id: 'T0NOBOT' }, enterprise: undefined, user: { id: 'U0ADMIN', token: 'xoxp-user', scopes: ['identify'] }, isEnterpriseInstall: false, authVersion: 'v2' } as const;
    await expect(store.storeInstallation(noBot as never)).rejects.toMatchObject({ code: 'no_bot_token' });
    expect(await h.db.selectFrom('installations').select('team_id').execute()).toEqual([]);
    await expect(store.fetchInstallation({ teamId: 'T0NEVER', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(NotInstalled);
  });
});
