import { EventEmitter } from 'node:events';
import type { FakeChannel, FakeUser } from '../../slack/fake/directory.js';
import type { FakeMessage, FakeSlack, RecordedCall } from '../../slack/fake/fake-slack.js';
import {
  actionOf,
  elementAt,
  eventEnvelope,
  messageActionPayload,
  viewActionPayload,
  viewClosedPayload,
  viewForApp,
  viewState,
  viewSubmissionPayload,
  type Choice,
  type PayloadUser,
} from '../../slack/fake/payloads.js';
import { commandBody, interactionBody, send, signedPost, slackCommandText } from '../../slack/fake/sender.js';
import { clientWords } from './client-words.js';
import { clientChecks, knownValues, readViewAnswer } from './modals.js';
import type { Registrations } from '../../slack/registrations.js';
import { ModalStacks } from './stacks.js';

/**
 * Slack's servers and client, as far as the local workspace page needs them: it turns what a
 * person does in the page into the signed requests Slack would send to the bot's real
 * endpoint, and keeps what Slack keeps per person (open modals). Everything the bot sends
 * back goes through the fake Web API; the page only ever reads the fake's state.
 */
type Obj = Record<string, any>;

export type Outcome = { ok: true; reply?: Obj; modal?: Obj } | { ok: false; error: string; errors?: Record<string, string> };

export type Source = { channel: string; ts: string } | { viewId: string };

export interface WorkspaceOptions {
  fake: FakeSlack;
  secret: string;
  registrations: Registrations;
}

const WAIT_MS = 10_000;

export class LocalWorkspace extends EventEmitter {
  readonly fake: FakeSlack;
  readonly registrations: Registrations;
  private readonly secret: string;
  /** The latest Web API calls Slack would have refused (bad blocks, bad views): the page tells the developer. */
  readonly refused: { seq: number; method: string; error: string; problems: string[] }[] = [];
  private readonly triggerUsers = new Map<string, string>();
  private readonly modals = new ModalStacks(() => this.emit('change'));
  private eventSeq = 0;

  constructor(o: WorkspaceOptions) {
    super();
    this.setMaxListeners(0);
    this.fake = o.fake;
    this.secret = o.secret;
    this.registrations = o.registrations;
    this.fake.on('call', (c: RecordedCall) => this.onCall(c));
  }

  /** Forgets open modals (tests start each case from a clean slate). */
  reset(): void {
    this.triggerUsers.clear();
    this.refused.length = 0;
    this.modals.clear();
  }

  user(idOrName: string): FakeUser | undefined {
    return this.fake.users.get(idOrName) ?? [...this.fake.users.values()].find((u) => u.name === idOrName);
  }

  modalOf(userId: string): { view: Obj; errors: Record<string, string>; formError?: string } | null {
    const st = this.modals.get(userId);
    const view = st && this.fake.views.get(st.stack.at(-1) ?? '');
    return st && view ? { view, errors: st.errors, ...(st.formError ? { formError: st.formError } : {}) } : null;
  }

  /** Channels the page lists for this person: shared channels, and their direct messages with the bot. */
  channelsFor(userId: string): FakeChannel[] {
    const dm = this.fake.imWith(userId);
    return [...this.fake.channels.values()].filter((c) => !c.is_im || c.id === dm.id);
  }

  visibleMessages(userId: string, channel: string): FakeMessage[] {
    return this.fake.messages.filter((m) => m.channel === channel && (!m.ephemeralTo || m.ephemeralTo === userId));
  }

  /** A slash command as typed, or a plain message; `wait` resolves once the bot answered (for scripts). */
  async command(userId: string, channelId: string, input: string, opts: { wait?: boolean } = {}): Promise<Outcome> {
    const user = this.fake.users.get(userId);
    const channel = this.fake.channels.get(channelId);
    if (!user || user.deleted || !channel) return { ok: false, error: 'Unknown user or channel.' };
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(input.trim());
    if (!m) {
      if (input.trim()) this.fake.postAsUser(channelId, userId, slackCommandText(input.trim(), this.people(), this.rooms()));
      return { ok: true };
    }
    const [, name, text] = m as unknown as [string, string, string];
    if (name === '/invite') return this.invite(user, channel, text);
    if (!this.registrations.commands.has(name)) {
      return { ok: false, error: clientWords(user.locale).notACommand(name) };
    }
    const trigger = this.mint(userId);
    const responseUrl = this.fake.responseUrl(trigger);
    this.fake.responseTargets.set(trigger, { channel: channelId, user: userId });
    const body = commandBody({
      command: name,
      text: slackCommandText(text, this.people(), this.rooms()),
      teamId: this.fake.teamId,
      userId,
      channelId,
      userName: user.name,
      channelName: channel.is_im ? 'directmessage' : channel.name,
      triggerId: trigger,
      responseUrl,
    });
    const since = this.lastSeq();
    const res = await this.post(body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) return { ok: false, error: `${name} failed with the error "${res.status === 404 ? 'operation_timeout' : 'dispatch_failed'}"` };
    // An app may answer a command in the HTTP response itself; Slack shows that like a response_url post.
    if (res.text.trim()) await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: res.text.startsWith('{') ? res.text : JSON.stringify({ text: res.text }) });
    if (!opts.wait) return { ok: true };
    const answer = await this.fake
      .waitFor((c) => c.seq > since && ((c.method === 'response_url' && c.args.response_id === trigger) || (c.method === 'views.open' && c.args.trigger_id === trigger)), WAIT_MS)
      .catch(() => undefined);
    if (!answer) return { ok: false, error: `${name}: no answer within ${WAIT_MS / 1000} s` };
    if (!answer.ok) return { ok: false, error: `${name}: Slack refused docket's ${answer.method}: ${answer.error}` };
    return answer.method === 'views.open' ? { ok: true, modal: answer.response.view } : { ok: true, reply: { text: answer.args.text, blocks: answer.args.blocks } };
  }

  /** A button click or a pick in a select, in a message or in a view (modal or App Home). */
  async act(userId: string, source: Source, path: string, choice: Choice, values: Record<string, Choice> = {}): Promise<Outcome> {
    const user = this.payloadUser(userId);
    if (!user) return { ok: false, error: 'Unknown user.' };
    const trigger = this.mint(userId);
    let payload: Obj;
    if ('viewId' in source) {
      const view = this.fake.views.get(source.viewId) ?? [...this.fake.homes.values()].find((h) => h.id === source.viewId);
      const found = view && elementAt(view.blocks ?? [], path);
      if (!view || !found) return { ok: false, error: 'That element is not there any more.' };
      const state = viewState(view, knownValues(view, values));
      payload = viewActionPayload({ user, triggerId: trigger, action: actionOf(found.element, found.blockId, choice), view: viewForApp(view, state, this.fake.botId) });
    } else {
      const msg = this.visibleMessages(userId, source.channel).find((x) => x.ts === source.ts);
      const found = msg && elementAt((msg.blocks ?? []) as Obj[], path);
      const channel = this.fake.channels.get(source.channel);
      if (!msg || !found || !channel) return { ok: false, error: 'That message is not there any more.' };
      this.fake.responseTargets.set(trigger, { channel: channel.id, user: userId, messageTs: msg.ts });
      const { ephemeralTo: _e, channel: _c, ...message } = msg;
      payload = messageActionPayload({
        user,
        triggerId: trigger,
        action: actionOf(found.element, found.blockId, choice),
        channel: { id: channel.id, name: channel.is_im ? 'directmessage' : channel.name },
        message,
        ephemeral: msg.ephemeralTo !== undefined,
        responseUrl: this.fake.responseUrl(trigger),
      });
    }
    const res = await this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
    return res.status === 200 ? { ok: true } : { ok: false, error: `docket did not answer (HTTP ${res.status}).` };
  }

  /** Submits the top modal. Slack's client checks come first; then the app's answer decides. */
  async submit(userId: string, viewId: string, values: Record<string, Choice>, opts: { wait?: boolean } = {}): Promise<Outcome> {
    const view = this.fake.views.get(viewId);
    const user = this.payloadUser(userId);
    if (!this.modals.isTop(userId, viewId) || !view || !user) return { ok: false, error: 'This form is not open any more.' };
    const entered = knownValues(view, values);
    const refused = clientChecks(view, entered, clientWords(this.fake.users.get(userId)?.locale));
    if (Object.keys(refused).length) return this.showErrors(userId, refused);
    const payload = viewSubmissionPayload({ user, triggerId: this.mint(userId), view: viewForApp(view, viewState(view, entered), this.fake.botId) });
    const since = this.lastSeq();
    const res = await this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
    if (res.status !== 200) return this.formError(userId, `We had some trouble connecting: docket answered HTTP ${res.status}.`);
    const answer = readViewAnswer(view, res.text);
    switch (answer.kind) {
      case 'refused':
        return this.formError(userId, `Slack refused docket's answer: ${answer.reason}.`);
      case 'errors':
        return this.showErrors(userId, answer.errors);
      case 'update':
        this.fake.saveView(answer.view, viewId);
        this.modals.updated(viewId);
        return { ok: true };
      case 'push':
        this.modals.pushed(userId, this.fake.saveView(answer.view).id as string);
        return { ok: true };
      case 'clear':
        this.modals.closeAll(userId);
        break;
      case 'close':
        this.modals.pop(userId);
    }
    if (!opts.wait) return { ok: true };
    // No response_url for forms: the bot answers with an ephemeral message or a DM.
    const reply = await this.fake
      .waitFor((c) => c.seq > since && c.ok && ((c.method === 'chat.postEphemeral' && c.args.user === userId) || (c.method === 'chat.postMessage' && c.args.channel === userId)), WAIT_MS)
      .catch(() => undefined);
    return { ok: true, ...(reply ? { reply: { text: reply.args.text, blocks: reply.args.blocks } } : {}) };
  }

  /** Cancel (or ×): closes the top view; the app hears of it only if it asked to (notify_on_close). */
  async close(userId: string, viewId: string, values: Record<string, Choice> = {}): Promise<Outcome> {
    const view = this.fake.views.get(viewId);
    const user = this.payloadUser(userId);
    if (!this.modals.isTop(userId, viewId) || !view || !user) return { ok: true };
    this.modals.pop(userId);
    if (view.notify_on_close !== true) return { ok: true };
    const payload = viewClosedPayload({ user, view: viewForApp(view, viewState(view, knownValues(view, values)), this.fake.botId) });
    const res = await this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
    return res.status === 200 ? { ok: true } : { ok: false, error: `docket did not answer (HTTP ${res.status}).` };
  }

  /** Opening the App Home tab: Slack tells the app only if it subscribed to app_home_opened. */
  async openHome(userId: string): Promise<Outcome> {
    if (!this.registrations.events.has('app_home_opened') || !this.fake.users.has(userId)) return { ok: true };
    const event = { type: 'app_home_opened', user: userId, channel: this.fake.imWith(userId).id, tab: 'home', ...(this.fake.homes.get(userId) ? { view: this.fake.homes.get(userId) } : {}) };
    return this.deliverEvent(event);
  }

  private async invite(user: FakeUser, channel: FakeChannel, text: string): Promise<Outcome> {
    const words = clientWords(user.locale);
    if (!/^@?docket\b/.test(text.trim())) return { ok: false, error: words.inviteOnlyDocket };
    if (channel.is_im) return { ok: false, error: words.alreadyInConversation };
    if (channel.bot_member) return { ok: false, error: words.alreadyInChannel(channel.name) };
    channel.bot_member = true;
    this.emit('change');
    if (!this.registrations.events.has('member_joined_channel')) return { ok: true };
    return this.deliverEvent({ type: 'member_joined_channel', user: this.fake.botUserId, channel: channel.id, channel_type: channel.is_private ? 'G' : 'C', team: this.fake.teamId, inviter: user.id });
  }

  private async deliverEvent(event: Obj): Promise<Outcome> {
    const envelope = eventEnvelope({ teamId: this.fake.teamId, botUserId: this.fake.botUserId, event, eventId: `Ev${Date.now()}${++this.eventSeq}` });
    const res = await this.post(JSON.stringify(envelope), 'application/json');
    return res.status === 200 ? { ok: true } : { ok: false, error: `docket did not accept the event (HTTP ${res.status}).` };
  }

  private showErrors(userId: string, errors: Record<string, string>): Outcome {
    this.modals.showErrors(userId, errors);
    return { ok: false, error: 'The form has errors.', errors };
  }

  private formError(userId: string, error: string): Outcome {
    this.modals.formError(userId, error);
    return { ok: false, error };
  }

  private onCall(c: RecordedCall): void {
    if (!c.ok && /^(chat\.|views\.|response_url)/.test(c.method)) {
      const problems = (c.response.response_metadata?.messages ?? c.response.errors ?? []) as string[];
      this.refused.push({ seq: c.seq, method: c.method, error: String(c.error), problems });
      if (this.refused.length > 20) this.refused.shift();
    }
    if (c.ok && (c.method === 'views.open' || c.method === 'views.push')) {
      const userId = this.triggerUsers.get(String(c.args.trigger_id));
      if (userId && c.method === 'views.open') this.modals.opened(userId, c.response.view.id);
      else if (userId) this.modals.pushed(userId, c.response.view.id);
    }
    if (c.ok && c.method === 'views.update') this.modals.updated(String(c.args.view_id));
    this.emit('change');
  }

  private lastSeq(): number {
    return this.fake.calls.at(-1)?.seq ?? 0;
  }

  private mint(userId: string): string {
    const trigger = this.fake.mintTrigger();
    this.triggerUsers.set(trigger, userId);
    // Triggers live 3 seconds; remembering the last thousand is plenty.
    if (this.triggerUsers.size > 1000) this.triggerUsers.delete(this.triggerUsers.keys().next().value!);
    return trigger;
  }

  private payloadUser(userId: string): PayloadUser | undefined {
    const u = this.fake.users.get(userId);
    return u && !u.deleted ? { id: u.id, name: u.name, teamId: this.fake.teamId } : undefined;
  }

  private people(): { id: string; name: string }[] {
    return [...this.fake.users.values(), { id: this.fake.botUserId, name: 'docket' }];
  }

  private rooms(): FakeChannel[] {
    return [...this.fake.channels.values()].filter((c) => !c.is_im);
  }

  private post(body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json') {
    return send(`${this.fake.baseUrl}/slack/events`, signedPost(this.secret, body, contentType));
  }
}
