import { todayIn } from '../../domain/time.js';
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
}

/** Case references captured so far ({zhou}), and dates relative to today in the group's zone ({date:-3}). */
function fillIn(text: string, refs: Record<string, string>, now = new Date()): string {
  return text
    .replace(/\{date:([+-]\d+)\}/g, (_all, days: string) => todayIn(GROUP.zone, new Date(now.getTime() + Number(days) * 86_400_000)))
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
