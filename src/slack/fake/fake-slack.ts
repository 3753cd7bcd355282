import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response, type Router } from 'express';
import { waitForItem } from '../../lib/wait-for.js';
import { checkBlocks, checkView } from './block-kit.js';
import { defaultDirectory, type FakeChannel, type FakeUser } from './directory.js';
import { FakeFiles, type FakeFile } from './files.js';
import { FakeOAuth, type Caller, type FakeApp, type FakeWorkspace } from './oauth.js';

/**
 * A fake Slack Web API that the bot reaches over HTTP (`slackApiUrl`). It records every call
 * and answers the way Slack does where it matters to docket: Block Kit limits, unknown
 * channels, one-shot trigger ids, injectable errors and 429s with Retry-After. Tests, local
 * mode and the local workspace page all use this one implementation.
 *
 * It holds one workspace (the token it is made with) or several: `addWorkspace` adds one,
 * whose people and channels only its own bot token sees, and with `oauth` set the app can be
 * installed into it through Slack's OAuth flow (`/oauth/v2/authorize`, `oauth.v2.access`).
 */
export interface RecordedCall {
  seq: number;
  at: number;
  method: string;
  args: Record<string, any>;
  ok: boolean;
  error?: string;
  response: Record<string, any>;
  /** The workspace whose bot token made the call, and the token (absent for calls that take none). */
  team?: string;
  token?: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** Set for ephemeral messages: only this user sees them. */
  ephemeralTo?: string;
  /** Message metadata (event_type, event_payload), as chat.postMessage received it. */
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  /** Set by chat.update: who changed it last, and when. */
  edited?: { user: string; ts: string };
  /** The files shared with it (files.completeUploadExternal, or a person sharing one). */
  files?: string[];
}

/**
 * Where messages sent to a response_url land. Slack knows this for every URL it mints; here
 * whoever mints one (the local workspace) says so. URLs without a target are only recorded.
 */
export interface ResponseTarget {
  channel: string;
  user: string;
  /** The message holding the button that was clicked: what replace_original and delete_original act on. */
  messageTs?: string;
}

export interface Fault {
  method: string;
  channel?: string;
  /** How many matching calls fail; Infinity for all. */
  times: number;
  /**
   * 429: rate limited, with Retry-After. 5xx: Slack (or a proxy in front of it) failed before
   * the Web API could answer; Slack documents no body for these, and clients go by the status.
   */
  status?: 429 | 500 | 502 | 503 | 504;
  retryAfter?: number;
  error?: string;
  /**
   * Never answer the matching call: 'before' drops it unprocessed, 'after' processes it (the
   * message is posted) and withholds the response, like a connection lost at the worst moment.
   */
  hang?: 'before' | 'after';
  /** Answer normally, but only after this long (Slack having a slow moment). */
  delayMs?: number;
}

export interface FakeSlackOptions {
  /** The first workspace's bot token (the single-workspace deployment's SLACK_BOT_TOKEN). */
  token: string;
  teamId?: string;
  teamName?: string;
  /** The app as the OAuth install sees it: with it, workspaces can install the app (see FakeOAuth). */
  oauth?: FakeApp;
  users?: FakeUser[];
  channels?: FakeChannel[];
  /** How long a trigger_id stays valid (Slack: about 3 seconds). */
  triggerTtlMs?: number;
  /** Enforce Slack's chat.postMessage pace: at most one message per channel per this many ms, 429 + Retry-After beyond. */
  postIntervalMs?: number;
}

const JSON_ARGS = ['blocks', 'attachments', 'view', 'metadata', 'options', 'files'];

export class FakeSlack extends EventEmitter {
  readonly token: string;
  readonly teamId: string;
  readonly botUserId = 'U0DOCKETBOT';
  readonly botId = 'B0DOCKETBOT';
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, Record<string, any>>();
  readonly homes = new Map<string, Record<string, any>>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  readonly fileStore = new FakeFiles(() => this.baseUrl);
  /** Workspaces, their tokens, the install flow. */
  readonly oauth: FakeOAuth;
  baseUrl = '';
  private readonly triggers = new Map<string, { expires: number; used: boolean }>();
  private readonly faults: Fault[] = [];
  private readonly triggerTtlMs: number;
  private readonly postIntervalMs: number | undefined;
  private readonly lastPost = new Map<string, number>();
  private seq = 0;
  private tsCounter = 0;
  private server?: http.Server;

  constructor(opts: FakeSlackOptions) {
    super();
    this.setMaxListeners(0);
    this.token = opts.token;
    this.teamId = opts.teamId ?? 'T0LOCAL';
    this.oauth = new FakeOAuth(opts.oauth);
    this.oauth.addWorkspace({ id: this.teamId, name: opts.teamName ?? 'Local', botUserId: this.botUserId, botId: this.botId });
    this.oauth.grantToken(this.token, this.teamId);
    this.triggerTtlMs = opts.triggerTtlMs ?? 3000;
    this.postIntervalMs = opts.postIntervalMs;
    const dir = defaultDirectory();
    for (const u of opts.users ?? dir.users) this.users.set(u.id, u);
    for (const c of opts.channels ?? dir.channels) this.channels.set(c.id, c);
  }

  /** Express routes: `/api/:method` (the Web API) and `/_fake/...` (test and page plumbing). */
  router(): Router {
    const r = express.Router();
    r.post('/api/:method', express.urlencoded({ extended: false, limit: '5mb' }), express.json({ limit: '5mb' }), (req, res) =>
      this.handleApi(req, res),
    );
    // Slack's file hosts (files.slack.com): the upload URL takes the bytes, url_private_download gives them back.
    r.post('/_fake/upload/:id', express.raw({ type: () => true, limit: '20mb' }), async (req, res) => {
      const { ok, error, id, bytes } = await this.fileStore.receive(req, res);
      this.record('upload_url', { file_id: id, bytes }, ok ? { ok } : { ok, error });
    });
    // Slack's authorize page (slack.com/oauth/v2/authorize), approving at once.
    r.get('/oauth/v2/authorize', (req, res) => {
      const q = new URLSearchParams(String(req.url ?? '').split('?')[1] ?? '');
      const answer = this.oauth.authorize(q, (team) => [...this.users.values()].find((u) => this.teamOf(u) === team && !u.deleted && !u.is_bot)?.id);
      this.record('oauth.authorize', { team: q.get('team'), client_id: q.get('client_id'), redirect_uri: q.get('redirect_uri'), scope: q.get('scope') }, 'location' in answer ? { ok: true } : { ok: false, error: answer.error });
      if ('location' in answer) res.redirect(302, answer.location);
      else res.status(answer.status).type('text/plain').send(answer.error);
    });
    r.get('/_fake/files-pri/:id/:name', (req, res) => {
      // Any live bot token of the file's workspace downloads it (the first workspace's, as before).
      const caller = this.oauth.caller(req.headers.authorization ?? '');
      this.fileStore.download(req, res, 'error' in caller ? this.token : caller.token);
    });
    r.post('/_fake/respond/:id', express.json({ limit: '5mb' }), async (req, res) => {
      // A slow Slack answers response_urls slowly too ({ method: 'response_url', delayMs }).
      const delayMs = this.takeFault('response_url', undefined)?.delayMs;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const body = (req.body ?? {}) as Record<string, any>;
      const answer = this.respond(String(req.params.id), body);
      this.record('response_url', { response_id: req.params.id, ...body }, answer);
      res.status(answer.ok ? 200 : 400).json(answer);
    });
    r.get('/_fake/calls', (req, res) => {
      const after = Number(req.query.after ?? 0);
      res.json({ calls: this.calls.filter((c) => c.seq > after).map(({ token: _token, ...c }) => c), last: this.seq });
    });
    r.post('/_fake/trigger', (_req, res) => res.json({ trigger_id: this.mintTrigger(), response_url: this.responseUrl(`r${this.seq}`) }));
    r.get('/_fake/directory', (_req, res) => res.json({ team_id: this.teamId, users: [...this.users.values()], channels: [...this.channels.values()] }));
    return r;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const app = express();
    app.use(this.router());
    this.server = http.createServer(app);
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${addr.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /**
   * Another workspace, with its own people and channels (seen by its bot token only). The app
   * is not installed in it: the OAuth flow does that (or `oauth.grantToken`).
   */
  addWorkspace(w: { id: string; name: string; users?: FakeUser[]; channels?: FakeChannel[] }): FakeWorkspace {
    const ws = this.oauth.addWorkspace({ id: w.id, name: w.name });
    for (const u of w.users ?? []) this.users.set(u.id, { ...u, team: w.id });
    for (const c of w.channels ?? []) this.channels.set(c.id, { ...c, team: w.id });
    return ws;
  }

  /** The workspace uninstalled the app: every token it had stops working (token_revoked). */
  uninstall(teamId: string): void {
    this.oauth.revokeWorkspace(teamId);
    this.record('app.uninstalled', { team: teamId }, { ok: true });
  }

  /** The workspace a person, a channel or a DM belongs to. */
  teamOf(e: { team?: string | undefined }): string {
    return e.team ?? this.teamId;
  }

  private workspaceOf(teamId: string): FakeWorkspace {
    return this.oauth.workspaces.get(teamId) ?? this.oauth.workspaces.get(this.teamId)!;
  }

  /** A person as the caller's workspace knows them (another workspace's people are not found). */
  private userFor(id: unknown, c: Caller): FakeUser | undefined {
    const u = typeof id === 'string' ? this.users.get(id) : undefined;
    return u && this.teamOf(u) === c.workspace.id ? u : undefined;
  }

  private channelFor(id: unknown, c: Caller): FakeChannel | undefined {
    const ch = typeof id === 'string' ? this.channels.get(id) : undefined;
    return ch && this.teamOf(ch) === c.workspace.id ? ch : undefined;
  }

  mintTrigger(): string {
    const id = `${Date.now()}.${++this.seq}.fake${Math.random().toString(16).slice(2, 10)}`;
    this.triggers.set(id, { expires: Date.now() + this.triggerTtlMs, used: false });
    return id;
  }

  /** Makes a trigger id stale, as if more than three seconds had passed. */
  expireTrigger(id: string): void {
    const t = this.triggers.get(id);
    if (t) t.expires = 0;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/_fake/respond/${encodeURIComponent(id)}`;
  }

  inject(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Forgets injected faults not yet used up (one injected for every call would outlive its test). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(match: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    return waitForItem(this, 'call', this.calls, match, timeoutMs, 'fake Slack call');
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Stores a view the way views.open/update do: for response_action update and push, which Slack applies itself. */
  saveView(view: Record<string, any>, existingId?: string): Record<string, any> {
    return this.storeView({ view }, existingId);
  }

  /** The message, as Slack shows it now (after any update), or undefined once deleted. */
  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Someone deleted a message in Slack (a person their own, an admin any): it is gone for every method. */
  deleteMessage(channel: string, ts: string): boolean {
    const i = this.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (i >= 0) this.messages.splice(i, 1);
    return i >= 0;
  }

  /** A file a person shared in a channel (with a message of their own, as Slack shows it). */
  shareFile(o: { channel: string; user: string; name: string; bytes: Buffer | string }): FakeFile {
    const file = this.fileStore.share({ ...o, bytes: Buffer.isBuffer(o.bytes) ? o.bytes : Buffer.from(o.bytes, 'utf8') });
    this.messages.push({ channel: o.channel, ts: this.nextTs(), user: o.user, text: '', files: [file.id] });
    this.record('file.shared', { channel: o.channel, user: o.user, file: file.id }, { ok: true });
    return file;
  }

  /** A file as Slack keeps it (the bytes uploaded), by id. */
  file(id: string): FakeFile | undefined {
    return this.fileStore.files.get(id);
  }

  /** A message a person typed into a channel (the local workspace's composer). */
  postAsUser(channel: string, user: string, text: string): FakeMessage {
    const msg: FakeMessage = { channel, ts: this.nextTs(), user, text };
    this.messages.push(msg);
    this.record('message.typed', { channel, user }, { ok: true, ts: msg.ts });
    return msg;
  }

  /**
   * A post to a response_url: checked like any message, then, when the URL's target is known,
   * shown where Slack shows it (ephemeral unless in_channel; replacing or deleting the message
   * that held the clicked button when asked to).
   */
  private respond(id: string, body: Record<string, any>): Record<string, any> {
    const target = this.responseTargets.get(id);
    const original = target?.messageTs ? this.messages.findIndex((m) => m.channel === target.channel && m.ts === target.messageTs) : -1;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original >= 0) this.messages.splice(original, 1);
      return { ok: true };
    }
    const bad = this.checkMessage(body);
    if (bad) return bad;
    if (!target) return { ok: true };
    const replace = body.replace_original === true || body.replace_original === 'true';
    if (replace && original >= 0) {
      const msg = this.messages[original]!;
      msg.text = body.text;
      msg.blocks = body.blocks;
      return { ok: true };
    }
    const ch = this.channels.get(target.channel);
    const msg: FakeMessage = { channel: target.channel, ts: this.nextTs(), user: this.workspaceOf(ch ? this.teamOf(ch) : this.teamId).botUserId, text: body.text, blocks: body.blocks };
    if (body.response_type !== 'in_channel') msg.ephemeralTo = target.user;
    this.messages.push(msg);
    return { ok: true };
  }

  private record(method: string, args: Record<string, any>, response: Record<string, any>, caller?: Caller): RecordedCall {
    const call: RecordedCall = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      args,
      ok: response.ok === true,
      response,
      ...(response.ok ? {} : { error: String(response.error) }),
      ...(caller ? { team: caller.workspace.id, token: caller.token } : {}),
    };
    this.calls.push(call);
    this.emit('call', call);
    return call;
  }

  private async handleApi(req: Request, res: Response): Promise<void> {
    const method = String(req.params.method);
    const args: Record<string, any> = { ...(req.body ?? {}) };
    for (const k of JSON_ARGS) {
      if (typeof args[k] === 'string') {
        try {
          args[k] = JSON.parse(args[k]);
        } catch {
          return this.reply(res, method, args, { ok: false, error: 'invalid_json' });
        }
      }
    }
    // Methods that take no token: the install's exchange (client credentials) and the ping.
    if (method === 'oauth.v2.access') {
      const { client_secret: _secret, ...shown } = args;
      return this.reply(res, method, shown, this.oauth.access(args, req.headers.authorization));
    }
    if (method === 'api.test') return this.reply(res, method, args, { ok: true, args: {} });
    const auth = req.headers.authorization ?? (args.token ? `Bearer ${args.token}` : '');
    delete args.token;
    const caller = this.oauth.caller(auth);
    if ('error' in caller) return this.reply(res, method, args, { ok: false, error: caller.error });
    const fault = this.takeFault(method, args.channel);
    if (fault?.status === 429) {
      const call = this.record(method, args, { ok: false, error: 'ratelimited' }, caller);
      res.status(429).set('Retry-After', String(fault.retryAfter ?? 1)).json(call.response);
      return;
    }
    if (fault?.status) {
      this.record(method, args, { ok: false, error: `http_${fault.status}` }, caller);
      res.status(fault.status).type('text/plain').send(http.STATUS_CODES[fault.status] ?? 'Error');
      return;
    }
    if (fault?.error) return this.reply(res, method, args, { ok: false, error: fault.error }, caller);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.hang) {
      // Recorded (tests wait for it) but never answered; 'after' still does the work.
      this.record(method, args, fault.hang === 'after' ? this.answer(method, args, caller) : { ok: false, error: 'hung' }, caller);
      return;
    }
    const wait = method === 'chat.postMessage' ? this.paceWait(args.channel, caller) : 0;
    if (wait > 0) {
      const call = this.record(method, args, { ok: false, error: 'ratelimited' }, caller);
      res.status(429).set('Retry-After', String(Math.ceil(wait / 1000))).json(call.response);
      return;
    }
    this.reply(res, method, args, this.answer(method, args, caller), caller);
  }

  /** With postIntervalMs: how long this channel must still wait (0: the post may go, and is counted). */
  private paceWait(channel: unknown, caller: Caller): number {
    if (this.postIntervalMs === undefined) return 0;
    const resolved = this.resolveChannel(channel, caller);
    const key = 'error' in resolved ? String(channel) : resolved.id;
    const now = Date.now();
    const last = this.lastPost.get(key);
    if (last !== undefined && now - last < this.postIntervalMs) return this.postIntervalMs - (now - last);
    this.lastPost.set(key, now);
    return 0;
  }

  private reply(res: Response, method: string, args: Record<string, any>, body: Record<string, any>, caller?: Caller): void {
    this.record(method, args, body, caller);
    res.json(body);
  }

  private takeFault(method: string, channel: unknown): Fault | undefined {
    const i = this.faults.findIndex((f) => f.method === method && (f.channel === undefined || f.channel === channel));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (--f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private nextTs(): string {
    const now = Date.now();
    return `${Math.floor(now / 1000)}.${String(++this.tsCounter).padStart(6, '0')}`;
  }

  /** The channel a message goes to: user ids open (or reuse) the direct message with them. */
  private resolveChannel(id: unknown, caller: Caller): FakeChannel | { error: string } {
    if (typeof id !== 'string' || !id) return { error: 'channel_not_found' };
    if (id.startsWith('U') || id.startsWith('W')) {
      const user = this.userFor(id, caller);
      if (!user || user.deleted) return { error: user ? 'account_inactive' : 'channel_not_found' };
      return this.imWith(id);
    }
    const ch = this.channelFor(id, caller);
    if (!ch) return { error: 'channel_not_found' };
    if (ch.is_archived) return { error: 'is_archived' };
    if (!ch.is_im && !ch.bot_member) return { error: 'not_in_channel' };
    return ch;
  }

  imWith(userId: string): FakeChannel {
    const id = `D${userId.slice(1)}`;
    let ch = this.channels.get(id);
    if (!ch) {
      const team = this.users.get(userId)?.team;
      ch = { id, name: `dm-${userId}`, is_im: true, user: userId, bot_member: true, ...(team ? { team } : {}) };
      this.channels.set(id, ch);
    }
    return ch;
  }

  private checkMessage(args: Record<string, any>): Record<string, any> | undefined {
    if (args.blocks === undefined && (typeof args.text !== 'string' || args.text === '')) return { ok: false, error: 'no_text' };
    if (typeof args.text === 'string' && args.text.length > 40000) return { ok: false, error: 'msg_too_long' };
    if (args.blocks !== undefined) {
      const problems = checkBlocks(args.blocks, 'message');
      if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems, response_metadata: { messages: problems } };
    }
    return undefined;
  }

  private useTrigger(id: unknown): string | undefined {
    const t = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!t) return 'invalid_trigger_id';
    if (t.used) return 'exchanged_trigger_id';
    if (Date.now() > t.expires) return 'expired_trigger_id';
    t.used = true;
    return undefined;
  }

  private storeView(args: Record<string, any>, existingId?: string, teamId = this.teamId): Record<string, any> {
    const id = existingId ?? `V${String(++this.seq).padStart(9, '0')}`;
    const view = { ...args.view, id, team_id: teamId, hash: `${Date.now()}.${this.seq}`, state: { values: {} } };
    this.views.set(id, view);
    return view;
  }

  private answer(method: string, args: Record<string, any>, caller: Caller): Record<string, any> {
    const ws = caller.workspace;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${ws.id.toLowerCase()}.slack.test/`, team: ws.name, user: 'docket', team_id: ws.id, user_id: ws.botUserId, bot_id: ws.botId };
      case 'chat.postMessage': {
        const ch = this.resolveChannel(args.channel, caller);
        if ('error' in ch) return { ok: false, error: ch.error };
        const bad = this.checkMessage(args);
        if (bad) return bad;
        const msg: FakeMessage = { channel: ch.id, ts: this.nextTs(), user: ws.botUserId, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts, ...(args.metadata ? { metadata: args.metadata } : {}) };
        this.messages.push(msg);
        return { ok: true, channel: ch.id, ts: msg.ts, message: { type: 'message', user: msg.user, ts: msg.ts, text: msg.text, blocks: msg.blocks } };
      }
      case 'chat.postEphemeral': {
        const ch = this.resolveChannel(args.channel, caller);
        if ('error' in ch) return { ok: false, error: ch.error };
        if (!this.userFor(args.user, caller)) return { ok: false, error: 'user_not_found' };
        const bad = this.checkMessage(args);
        if (bad) return bad;
        const msg: FakeMessage = { channel: ch.id, ts: this.nextTs(), user: ws.botUserId, text: args.text, blocks: args.blocks, ephemeralTo: args.user };
        this.messages.push(msg);
        return { ok: true, message_ts: msg.ts };
      }
      case 'chat.update': {
        // The conversation itself: unlike chat.postMessage, a user id does not open a direct
        // message here (Slack wants the D… id the post answered with).
        const ch = this.channelFor(args.channel, caller);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        if (ch.is_archived) return { ok: false, error: 'is_archived' };
        // Ephemeral messages cannot be updated this way (only through their response_url).
        const msg = this.messages.find((m) => m.channel === ch.id && m.ts === args.ts && !m.ephemeralTo);
        if (!msg) return { ok: false, error: 'message_not_found' };
        // A bot token updates only the bot's own messages.
        if (msg.user !== ws.botUserId) return { ok: false, error: 'cant_update_message' };
        const bad = this.checkMessage(args);
        if (bad) return bad;
        // Blocks given replace the old ones; text alone drops them; neither keeps them. Metadata stays unless given.
        if (args.text !== undefined) msg.text = args.text;
        if (args.blocks !== undefined) msg.blocks = args.blocks;
        else if (args.text !== undefined) delete msg.blocks;
        if (args.metadata !== undefined) msg.metadata = args.metadata;
        msg.edited = { user: ws.botUserId, ts: this.nextTs() };
        return { ok: true, channel: ch.id, ts: msg.ts, text: msg.text, message: { type: 'message', user: msg.user, ts: msg.ts, text: msg.text, blocks: msg.blocks, edited: msg.edited } };
      }
      case 'views.open':
      case 'views.push': {
        const triggerError = this.useTrigger(args.trigger_id);
        if (triggerError) return { ok: false, error: triggerError };
        const problems = checkView(args.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: this.storeView(args, undefined, ws.id) };
      }
      case 'views.update': {
        if (!this.views.has(args.view_id)) return { ok: false, error: 'not_found' };
        const problems = checkView(args.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: this.storeView(args, args.view_id, ws.id) };
      }
      case 'views.publish': {
        if (!this.userFor(args.user_id, caller)) return { ok: false, error: 'user_not_found' };
        const problems = checkView(args.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        const view = { ...args.view, id: `VH${args.user_id}`, team_id: ws.id };
        this.homes.set(args.user_id, view);
        return { ok: true, view };
      }
      case 'users.info': {
        const u = this.userFor(args.user, caller);
        if (!u) return { ok: false, error: 'user_not_found' };
        const user: Record<string, unknown> = { id: u.id, team_id: ws.id, name: u.name, real_name: u.real_name, deleted: !!u.deleted, is_bot: !!u.is_bot, tz: u.tz, profile: { real_name: u.real_name, display_name: u.name } };
        if (args.include_locale === 'true' || args.include_locale === true) user.locale = u.locale;
        return { ok: true, user };
      }
      case 'conversations.info': {
        const ch = this.channelFor(args.channel, caller);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id: ch.id, name: ch.name, is_private: !!ch.is_private, is_im: !!ch.is_im, is_member: !!ch.bot_member, is_archived: !!ch.is_archived } };
      }
      case 'conversations.history': {
        // Newest first, as Slack answers; metadata only when asked for.
        const oldest = Number(args.oldest ?? 0);
        const withMeta = args.include_all_metadata === 'true' || args.include_all_metadata === true;
        const found = this.messages
          .filter((m) => m.channel === args.channel && !m.ephemeralTo && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({ type: 'message', user: m.user, ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
        if (!this.channelFor(args.channel, caller)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, messages: found, has_more: false };
      }
      case 'files.getUploadURLExternal':
        return this.fileStore.getUploadUrl(args);
      case 'files.completeUploadExternal': {
        let channel: FakeChannel | undefined;
        if (args.channel_id !== undefined) {
          const ch = this.resolveChannel(args.channel_id, caller);
          if ('error' in ch) return { ok: false, error: ch.error };
          channel = ch;
        }
        if (args.thread_ts !== undefined && !channel) return { ok: false, error: 'invalid_arguments' };
        if (typeof args.initial_comment === 'string' && args.initial_comment.length > 40000) return { ok: false, error: 'msg_too_long' };
        const done = this.fileStore.complete(args, ws.botUserId, channel?.id);
        if (!done.ok) return done;
        // Shared in a channel: a message from the bot carries the files and the comment.
        if (channel) this.messages.push({ channel: channel.id, ts: this.nextTs(), user: ws.botUserId, text: typeof args.initial_comment === 'string' ? args.initial_comment : '', files: done.files.map((f) => f.id), ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) });
        return { ok: true, files: done.files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case 'files.info':
        return this.fileStore.info(args);
      case 'files.list':
        return this.fileStore.list(args);
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0] ?? '';
        if (!this.userFor(user, caller)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.imWith(user).id } };
      }
      case 'auth.revoke':
        // The calling token, for good (with test=true, only says whether it would be).
        return { ok: true, revoked: args.test === 'true' || args.test === true ? false : this.oauth.revokeToken(caller.token) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
