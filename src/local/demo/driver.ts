import { formatInstant, todayIn } from '../../domain/time.js';
import { itemKind } from '../../features/items/reminder-rows.js';
import { en } from '../../i18n/en.js';
import { CHANNEL, GROUP, SETUP, STEPS, type DemoUser, type Step } from './scenario.js';

/**
 * Plays the demo scenario against a running docket in local mode, through the local
 * workspace's HTTP API: the same signed commands, forms and button clicks a person makes in
 * the page. Nothing here touches the database.
 */
type Obj = Record<string, any>;

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

interface Answer {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
  reply?: { text?: string; blocks?: Obj[] };
  modal?: Obj;
}

const REF = /\b[A-Z][A-Z0-9]{0,9}-\d{4}-\d{3,6}\b/;

export class DemoClient {
  private users = new Map<string, string>();
  private channelId = '';

  constructor(private readonly base: string) {}

  private async call<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered HTTP ${res.status}: is docket running in local mode?`);
    return (await res.json()) as T;
  }

  async connect(): Promise<void> {
    const dir = await this.call<{ users: { id: string; name: string }[] }>('/_local/directory');
    for (const u of dir.users) this.users.set(u.name, u.id);
    const view = await this.call<{ channels: { id: string; name: string }[] }>(`/_local/view?user=${this.id('alice')}`);
    this.channelId = view.channels.find((c) => c.name === CHANNEL)?.id ?? '';
    if (!this.channelId) throw new Error(`the local workspace has no #${CHANNEL}`);
  }

  /** A message's text for a terminal: mentions by name, no mrkdwn stars. */
  readable(text: string): string {
    const names = new Map([...this.users].map(([name, id]) => [id, name]));
    return text.replace(/<@(\w+)>/g, (all, id: string) => (names.has(id) ? `@${names.get(id)}` : all)).replace(/\*/g, '');
  }

  id(name: string): string {
    const id = this.users.get(name);
    if (!id) throw new Error(`no user ${name} in the local workspace`);
    return id;
  }

  async say(as: DemoUser, text: string): Promise<Answer> {
    const a = await this.call<Answer>('/_local/command', { user: this.id(as), channel: this.channelId, text, wait: true });
    if (!a.ok) throw new Error(`${as}: ${text}: ${a.error}`);
    return a;
  }

  /** Fills a form by block id (option labels and user names are looked up) and submits it. */
  async submit(as: DemoUser, view: Obj, fill: Record<string, string>): Promise<Answer> {
    const values: Record<string, string> = {};
    (view.blocks as Obj[]).forEach((b, i) => {
      const wanted = fill[b.block_id];
      if (b.type !== 'input' || wanted === undefined) return;
      const el = b.element as Obj;
      if (el.type === 'static_select') values[i] = (el.options as Obj[]).find((o) => o.text.text === wanted)?.value ?? `no option ${wanted}`;
      else if (el.type === 'users_select') values[i] = this.id(wanted);
      else values[i] = wanted;
    });
    const missing = Object.keys(fill).filter((k) => !(view.blocks as Obj[]).some((b) => b.block_id === k));
    if (missing.length) throw new Error(`the form ${view.callback_id} has no field ${missing.join(', ')}`);
    const a = await this.call<Answer>('/_local/submit', { user: this.id(as), viewId: view.id, values, wait: true });
    if (!a.ok) throw new Error(`${as}: form ${view.callback_id}: ${a.error} ${JSON.stringify(a.errors ?? {})}`);
    return a;
  }

  /** Presses the button labelled `label` in the newest message `as` sees; resolves once that message changed. */
  async press(as: DemoUser, label: string): Promise<void> {
    const messages = async () => (await this.call<{ messages: Obj[] }>(`/_local/view?user=${this.id(as)}&channel=${this.channelId}`)).messages;
    const found = [...(await messages())].reverse().flatMap((m) =>
      ((m.blocks ?? []) as Obj[]).flatMap((b, i) => ((b.elements ?? []) as Obj[]).map((e, j) => ({ m, path: `${i}.${j}`, e }))),
    ).find((x) => x.e.type === 'button' && x.e.text?.text === label);
    if (!found) throw new Error(`${as} sees no "${label}" button`);
    const a = await this.call<Answer>('/_local/action', { user: this.id(as), source: { channel: this.channelId, ts: found.m.ts }, path: found.path });
    if (!a.ok) throw new Error(`${as}: ${label}: ${a.error}`);
    // The answer replaces the question (replace_original); wait for that, within a bound.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const now = (await messages()).find((m) => m.ts === found.m.ts);
      if (!now || now.text !== found.m.text) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${as}: ${label}: no answer within 10 s`);
  }

  /**
   * The text of docket's first post of an outbox kind (item.escalation) in the channel, as
   * `as` sees it, once it is there; undefined if none came within `timeoutMs`. Posts leave
   * through the outbox at about one a second per channel, after the commands that made them.
   */
  async post(as: DemoUser, kind: string, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { messages } = await this.call<{ messages: Obj[] }>(`/_local/view?user=${this.id(as)}&channel=${this.channelId}`);
      const found = messages.find((m) => m.metadata?.event_payload?.kind === kind);
      if (found) return this.readable(String(found.text ?? ''));
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Waits for what the demo's overdue item sets off: docket's escalation in the group channel
 * (an item entered more than 3 days overdue escalates at once). Its text, or undefined if it
 * did not come within `timeoutMs`.
 */
export async function awaitEscalation(base: string, timeoutMs = 30_000): Promise<string | undefined> {
  const client = new DemoClient(base);
  await client.connect();
  return client.post('alice', itemKind('escalation'), timeoutMs);
}

const MINUTE = 60_000;

/**
 * Case references captured so far ({zhou}), dates relative to today in the group's zone
 * ({date:-3}), and a date and time some minutes ahead ({time:+2}: the first whole minute at
 * least two minutes from now, so a reminder at that time is still to come when it is planned).
 */
function fillIn(text: string, refs: Record<string, string>, now = new Date()): string {
  return text
    .replace(/\{date:([+-]\d+)\}/g, (_all, days: string) => todayIn(GROUP.zone, new Date(now.getTime() + Number(days) * 86_400_000)))
    .replace(/\{time:\+(\d+)\}/g, (_all, minutes: string) => formatInstant(new Date(Math.ceil((now.getTime() + Number(minutes) * MINUTE) / MINUTE) * MINUTE), GROUP.zone))
    .replace(/\{(\w+)\}/g, (all, name: string) => refs[name] ?? all);
}

/**
 * Runs every step; refuses (DemoRefused) when #fugitive-recovery is already a group, so a
 * second run changes nothing. Returns the case references it created.
 */
export async function runDemo(base: string, say: (line: string) => void = () => undefined, steps: Step[] = STEPS): Promise<Record<string, string>> {
  const client = new DemoClient(base);
  await client.connect();
  const setup = await client.say('alice', SETUP);
  // The reply names this year's first reference, the year as docket reads it in the group's zone.
  const year = Number(todayIn(GROUP.zone, new Date()).slice(0, 4));
  const created = en.groupCreated({ name: GROUP.name, prefix: GROUP.prefix, zone: GROUP.zone, currency: GROUP.currency, year });
  if (setup.reply?.text !== created) {
    throw new DemoRefused(`#${CHANNEL} is already a group (docket said: ${setup.reply?.text ?? 'nothing'}). The demo only fills an empty workspace.`);
  }
  say(`#${CHANNEL} is now the group "${GROUP.name}"`);
  const refs: Record<string, string> = {};
  for (const step of steps) {
    if ('form' in step) {
      const opened = await client.say(step.as, fillIn(step.form, refs));
      if (!opened.modal) throw new Error(`${step.form} did not open a form: ${opened.reply?.text}`);
      const done = await client.submit(step.as, opened.modal, step.fill);
      const ref = REF.exec(done.reply?.text ?? '')?.[0];
      if (!ref) throw new Error(`no case reference in the answer to the ${step.capture} form: ${done.reply?.text}`);
      refs[step.capture] = ref;
      say(`${step.as}: opened ${ref} (${step.fill.title ?? step.capture})`);
      continue;
    }
    const text = fillIn(step.say, refs);
    await client.say(step.as, text);
    if (step.confirm) await client.press(step.as, en.buttonConfirm);
    if (step.press) await client.press(step.as, step.press);
    say(`${step.as}: ${text.length > 90 ? `${text.slice(0, 89)}…` : text}`);
  }
  return refs;
}
