import { randomBytes } from 'node:crypto';

/**
 * The fake Slack's workspaces, their bot tokens, and the OAuth v2 install flow that hands those
 * tokens out: Slack's authorize page (which, here, approves at once for the workspace and
 * person the request names) and `oauth.v2.access`, answering and refusing as Slack documents
 * (https://docs.slack.dev/reference/methods/oauth.v2.access).
 */
export interface FakeWorkspace {
  id: string;
  name: string;
  /** The app's bot user in this workspace, and its bot id. */
  botUserId: string;
  botId: string;
}

/** The Slack app whose install the fake plays: its credentials and the redirect URLs set in its settings. */
export interface FakeApp {
  clientId: string;
  clientSecret: string;
  appId?: string;
  /** Where Slack may send installers back; the first is used when the authorize request names none. Unset: anywhere. */
  redirectUrls?: string[];
  /** Bot scopes Slack grants (those the authorize request asked for, when unset). */
  scopes?: string[];
}

/** Who made a Web API call: the token's workspace. */
export interface Caller {
  token: string;
  workspace: FakeWorkspace;
}

interface Grant {
  teamId: string;
  userId: string;
  redirectUri: string | undefined;
  scope: string;
  expires: number;
  used: boolean;
}

/** Slack's codes last ten minutes and work once. */
const CODE_TTL_MS = 10 * 60_000;

export class FakeOAuth {
  readonly workspaces = new Map<string, FakeWorkspace>();
  /** Every bot token handed out, with its workspace; a revoked one answers token_revoked. */
  private readonly tokens = new Map<string, { teamId: string; revoked: boolean }>();
  private readonly grants = new Map<string, Grant>();

  constructor(
    readonly app: FakeApp | undefined,
    private readonly codeTtlMs = CODE_TTL_MS,
  ) {}

  addWorkspace(w: Pick<FakeWorkspace, 'id' | 'name'> & Partial<FakeWorkspace>): FakeWorkspace {
    const ws: FakeWorkspace = { botUserId: `UB${w.id.slice(1)}`, botId: `BB${w.id.slice(1)}`, ...w };
    this.workspaces.set(ws.id, ws);
    return ws;
  }

  /** A token that works for the workspace (single-workspace tests and local mode: the app's one token). */
  grantToken(token: string, teamId: string): void {
    this.tokens.set(token, { teamId, revoked: false });
  }

  /** The workspace's live bot token, if it has one. */
  tokenOf(teamId: string): string | undefined {
    for (const [token, t] of this.tokens) if (t.teamId === teamId && !t.revoked) return token;
    return undefined;
  }

  /** The workspace uninstalled the app (or its token was revoked): its tokens stop working. */
  revokeWorkspace(teamId: string): void {
    for (const t of this.tokens.values()) if (t.teamId === teamId) t.revoked = true;
  }

  revokeToken(token: string): boolean {
    const t = this.tokens.get(token);
    if (!t || t.revoked) return false;
    t.revoked = true;
    return true;
  }

  /** Who a call's `Authorization: Bearer` (or `token` argument) is, or Slack's error for it. */
  caller(auth: string): Caller | { error: 'not_authed' | 'invalid_auth' | 'token_revoked' } {
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!token) return { error: 'not_authed' };
    const t = this.tokens.get(token);
    const workspace = t && this.workspaces.get(t.teamId);
    if (!t || !workspace) return { error: 'invalid_auth' };
    if (t.revoked) return { error: 'token_revoked' };
    return { token, workspace };
  }

  /**
   * Slack's authorize page, approved at once: the workspace is the request's `team` (Slack's
   * own parameter; needed when the fake has several), the approving person its `user` (fake
   * only; else the workspace's first person). Answers where the browser goes next: the redirect URL with a one-time code and
   * the state, or with `error=access_denied` when `deny` is set; or an error of the page itself.
   */
  authorize(q: URLSearchParams, people: (teamId: string) => string | undefined): { location: string; teamId?: string } | { status: number; error: string } {
    const app = this.app;
    if (!app || q.get('client_id') !== app.clientId) return { status: 400, error: 'invalid_client_id' };
    const given = q.get('redirect_uri') ?? undefined;
    if (given !== undefined && app.redirectUrls && !app.redirectUrls.some((u) => given.startsWith(u))) return { status: 400, error: 'bad_redirect_uri' };
    const redirect = given ?? app.redirectUrls?.[0];
    if (!redirect) return { status: 400, error: 'no_redirect_uri' };
    const state = q.get('state');
    const back = new URL(redirect);
    if (q.get('deny') === '1') {
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return { location: back.toString() };
    }
    const teamId = q.get('team') ?? (this.workspaces.size === 1 ? [...this.workspaces.keys()][0] : undefined);
    if (!teamId || !this.workspaces.has(teamId)) return { status: 400, error: 'team_not_found' };
    const userId = q.get('user') ?? people(teamId);
    if (!userId) return { status: 400, error: 'user_not_found' };
    const code = `${Date.now()}.${randomBytes(12).toString('hex')}`;
    const scope = app.scopes?.join(',') ?? q.get('scope') ?? '';
    this.grants.set(code, { teamId, userId, redirectUri: given, scope, expires: Date.now() + this.codeTtlMs, used: false });
    back.searchParams.set('code', code);
    if (state !== null) back.searchParams.set('state', state);
    return { location: back.toString(), teamId };
  }

  /** Every code handed out so far is past its ten minutes. */
  expireCodes(): void {
    for (const g of this.grants.values()) g.expires = 0;
  }

  /**
   * oauth.v2.access: the client's credentials (HTTP Basic, or client_id and client_secret in
   * the form, as Slack takes either), the code (once, within its life), the redirect_uri the
   * authorize request named; then the workspace's bot token (the one it has, or a new one).
   */
  access(args: Record<string, any>, authorization: string | undefined): Record<string, any> {
    const app = this.app;
    let clientId = typeof args.client_id === 'string' ? args.client_id : undefined;
    let secret = typeof args.client_secret === 'string' ? args.client_secret : undefined;
    if (authorization?.startsWith('Basic ')) {
      const [id, ...rest] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId ??= id;
      secret ??= rest.join(':');
    }
    if (!app || clientId !== app.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== app.clientSecret) return { ok: false, error: 'bad_client_secret' };
    if (args.grant_type !== undefined && args.grant_type !== 'authorization_code') return { ok: false, error: 'invalid_grant_type' };
    const grant = typeof args.code === 'string' ? this.grants.get(args.code) : undefined;
    if (!grant || grant.used || Date.now() > grant.expires) return { ok: false, error: 'invalid_code' };
    grant.used = true;
    if (grant.redirectUri !== undefined && args.redirect_uri !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    const ws = this.workspaces.get(grant.teamId)!;
    let token = this.tokenOf(ws.id);
    if (!token) {
      token = `xoxb-${ws.id}-${randomBytes(12).toString('hex')}`;
      this.grantToken(token, ws.id);
    }
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: grant.scope,
      bot_user_id: ws.botUserId,
      app_id: app.appId ?? 'A0DOCKET',
      team: { id: ws.id, name: ws.name },
      enterprise: null,
      authed_user: { id: grant.userId },
      is_enterprise_install: false,
    };
  }
}
