import type { App } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalApp } from '../helpers/local-app.js';

/**
 * The local workspace's plumbing, without a browser: what the bot receives when a person
 * uses the page, and how Slack's answers to the bot's responses are applied. Probe listeners
 * are registered on the running bot, the way a later command would be.
 */
type Obj = Record<string, any>;

let app: LocalApp;
const seen: Obj[] = [];
let viewAnswer: (body: Obj) => Obj | undefined = () => undefined;

const input = (block_id: string, element: Obj, optional = false) => ({ type: 'input', block_id, optional, label: { type: 'plain_text', text: block_id }, element: { action_id: 'v', ...element } });
const option = (value: string) => ({ text: { type: 'plain_text', text: value.toUpperCase() }, value });
const probeView = (title = 'Probe') => ({
  type: 'modal' as const,
  callback_id: 'probe.form',
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: 'Fill this in' } },
    input('name', { type: 'plain_text_input', max_length: 10 }),
    input('unit', { type: 'static_select', options: [option('police'), option('court')] }),
    input('who', { type: 'users_select' }),
    input('day', { type: 'datepicker' }),
    input('note', { type: 'plain_text_input', multiline: true }, true),
  ],
});

function probes(bolt: App): void {
  bolt.command('/probe', async ({ ack, body, client, respond }) => {
    await ack();
    seen.push({ kind: 'command', body });
    if (body.text === 'form') await client.views.open({ trigger_id: body.trigger_id, view: probeView() as never });
    if (body.text === 'buttons') {
      await respond({
        response_type: 'ephemeral',
        text: 'pick',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'pick one' } },
          {
            type: 'actions',
            block_id: 'acts',
            elements: [
              { type: 'button', action_id: 'probe.replace', text: { type: 'plain_text', text: 'Replace' }, value: 'r' },
              { type: 'button', action_id: 'probe.delete', text: { type: 'plain_text', text: 'Delete' }, value: 'd' },
              { type: 'button', action_id: 'probe.bad', text: { type: 'plain_text', text: 'Bad' }, value: 'b' },
            ],
          },
        ],
      });
    }
  });
  bolt.view('probe.form', async ({ ack, body }) => {
    seen.push({ kind: 'view', body });
    await ack(viewAnswer(body) as never);
  });
  bolt.action('probe.replace', async ({ ack, body, respond }) => {
    await ack();
    seen.push({ kind: 'action', body });
    await respond({ replace_original: true, text: 'replaced' });
  });
  bolt.action('probe.delete', async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });
  bolt.action('probe.bad', async ({ ack, respond }) => {
    await ack();
    // A header cannot be mrkdwn: Slack refuses this, so the fake must too.
    await respond({ text: 'bad', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '*no*' } }] as never }).catch(() => undefined);
  });
}

beforeAll(async () => {
  app = await LocalApp.start();
  probes(app.docket.bolt);
  // Listeners added to Bolt by hand are declared, as a feature's are, so the edge lets them through.
  app.docket.registrations.declare('command', ['/probe']).declare('view', ['probe.form']).declare('button', ['probe.replace', 'probe.delete', 'probe.bad']);
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.reset();
  seen.length = 0;
  viewAnswer = () => undefined;
});

const of = (kind: string) => seen.filter((s) => s.kind === kind).map((s) => s.body);

async function openProbeForm(user = 'U0ALICE'): Promise<Obj> {
  const r = await app.workspace.command(user, 'C0GROUP', '/probe form', { wait: true });
  if (!r.ok || !r.modal) throw new Error(`no form: ${JSON.stringify(r)}`);
  return r.modal;
}

const filled = { 1: 'Zhang', 2: 'police', 3: 'U0BAO', 4: '2019-09-22', 5: null };

describe('the local workspace, as Slack towards the bot', () => {
  it('sends a typed command as Slack does: escaped text and mentions, a fresh trigger, a response_url at the fake', async () => {
    await app.workspace.command('U0ALICE', 'C0GROUP', '/probe @bao in #random: R&D <b>', { wait: false });
    await expect.poll(() => of('command').length).toBe(1);
    const body = of('command')[0]!;
    expect(body).toMatchObject({
      command: '/probe',
      text: '<@U0BAO|bao> in <#C0RANDOM|random>: R&amp;D &lt;b&gt;',
      team_id: 'T0LOCAL',
      channel_id: 'C0GROUP',
      channel_name: 'fugitive-recovery',
      user_id: 'U0ALICE',
      user_name: 'alice',
      api_app_id: 'A0DOCKET',
    });
    expect(body.response_url.startsWith(`${app.url}/_fake/respond/`)).toBe(true);
    expect(body.trigger_id).toMatch(/fake/);
  });

  it('offers the commands the bot registered, including ones registered after start', async () => {
    const dir = (await (await fetch(`${app.url}/_local/directory`)).json()) as { commands: string[] };
    expect(dir.commands).toEqual(['/action', '/case', '/digest', '/docket', '/meeting', '/probe']);
  });

  it('refuses a command the bot did not register, without sending anything', async () => {
    const r = await app.workspace.command('U0ALICE', 'C0GROUP', '/nope now');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('/nope is not a valid command') });
    expect(seen).toHaveLength(0);
  });

  it('submits a form as view_submission with Slack-shaped state, and closes it on an empty ack', async () => {
    const view = await openProbeForm();
    expect(app.workspace.modalOf('U0ALICE')?.view.id).toBe(view.id);
    expect(await app.workspace.submit('U0ALICE', view.id, filled)).toEqual({ ok: true });
    const body = of('view')[0]!;
    expect(body.type).toBe('view_submission');
    expect(body.user).toEqual({ id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0LOCAL' });
    expect(body.view.id).toBe(view.id);
    expect(body.view.state.values).toEqual({
      name: { v: { type: 'plain_text_input', value: 'Zhang' } },
      unit: { v: { type: 'static_select', selected_option: option('police') } },
      who: { v: { type: 'users_select', selected_user: 'U0BAO' } },
      day: { v: { type: 'datepicker', selected_date: '2019-09-22' } },
      note: { v: { type: 'plain_text_input', value: null } },
    });
    expect(app.workspace.modalOf('U0ALICE')).toBeNull();
  });

  it('does what the Slack client does before sending: required fields and length limits', async () => {
    const view = await openProbeForm();
    const r = await app.workspace.submit('U0ALICE', view.id, { ...filled, 1: 'far too long a name', 3: null });
    expect(r).toMatchObject({ ok: false, errors: { name: 'Must be at most 10 characters.', who: 'Please complete this required field.' } });
    expect(of('view')).toHaveLength(0);
    expect(app.workspace.modalOf('U0ALICE')?.errors).toEqual({ name: 'Must be at most 10 characters.', who: 'Please complete this required field.' });
  });

  it('says what the Slack client says in the person’s language: 包晓明 reads Chinese', async () => {
    expect(await app.workspace.command('U0BAO', 'C0GROUP', '/nope now')).toEqual({ ok: false, error: '/nope 不是有效的命令。在 Slack 中，以“/”开头的消息都会被当作命令。' });
    const view = await openProbeForm('U0BAO');
    const r = await app.workspace.submit('U0BAO', view.id, { ...filled, 1: 'far too long a name', 3: null });
    expect(r).toMatchObject({ ok: false, errors: { name: '最多 10 个字符。', who: '请填写此必填项。' } });
    expect(of('view')).toHaveLength(0);
  });

  it('shows response_action errors under the inputs, and refuses errors that name no input', async () => {
    const view = await openProbeForm();
    viewAnswer = () => ({ response_action: 'errors', errors: { day: 'Not in the future.' } });
    expect(await app.workspace.submit('U0ALICE', view.id, filled)).toMatchObject({ ok: false, errors: { day: 'Not in the future.' } });
    expect(app.workspace.modalOf('U0ALICE')?.errors).toEqual({ day: 'Not in the future.' });

    viewAnswer = () => ({ response_action: 'errors', errors: { nowhere: 'x' } });
    const r = await app.workspace.submit('U0ALICE', view.id, filled);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('not inputs of this view: nowhere') });
    expect(app.workspace.modalOf('U0ALICE')?.formError).toContain('nowhere');
  });

  it('applies update, push and clear as Slack does, checking the views they carry', async () => {
    const view = await openProbeForm();
    viewAnswer = () => ({ response_action: 'update', view: probeView('Updated') });
    expect(await app.workspace.submit('U0ALICE', view.id, filled)).toEqual({ ok: true });
    expect(app.workspace.modalOf('U0ALICE')?.view).toMatchObject({ id: view.id, title: { text: 'Updated' } });

    viewAnswer = () => ({ response_action: 'push', view: probeView('Pushed') });
    await app.workspace.submit('U0ALICE', view.id, filled);
    const pushed = app.workspace.modalOf('U0ALICE')!.view;
    expect(pushed.id).not.toBe(view.id);
    expect(await app.workspace.close('U0ALICE', pushed.id)).toEqual({ ok: true });
    expect(app.workspace.modalOf('U0ALICE')?.view.id).toBe(view.id);

    viewAnswer = () => ({ response_action: 'update', view: { ...probeView(), title: { type: 'plain_text', text: 'a title far longer than twenty-four' } } });
    expect(await app.workspace.submit('U0ALICE', view.id, filled)).toMatchObject({ ok: false, error: expect.stringContaining('view.title') });

    viewAnswer = () => ({ response_action: 'clear' });
    expect(await app.workspace.submit('U0ALICE', view.id, filled)).toEqual({ ok: true });
    expect(app.workspace.modalOf('U0ALICE')).toBeNull();
  });

  it('sends a click on an ephemeral message without the message, and honours replace_original and delete_original', async () => {
    await app.workspace.command('U0ALICE', 'C0GROUP', '/probe buttons', { wait: true });
    const pick = () => app.workspace.visibleMessages('U0ALICE', 'C0GROUP').find((m) => m.blocks);
    const first = pick()!;
    expect(first.ephemeralTo).toBe('U0ALICE');
    expect(app.workspace.visibleMessages('U0BAO', 'C0GROUP')).toHaveLength(0);

    await app.workspace.act('U0ALICE', { channel: 'C0GROUP', ts: first.ts }, '1.0', null);
    await expect.poll(() => app.workspace.visibleMessages('U0ALICE', 'C0GROUP').find((m) => m.ts === first.ts)?.text).toBe('replaced');
    const body = of('action')[0]!;
    expect(body.container).toEqual({ type: 'message', message_ts: first.ts, channel_id: 'C0GROUP', is_ephemeral: true });
    expect(body.message).toBeUndefined();
    expect(body.actions).toEqual([{ action_id: 'probe.replace', block_id: 'acts', type: 'button', text: { type: 'plain_text', text: 'Replace' }, value: 'r', action_ts: expect.stringMatching(/^\d+\.\d{6}$/) }]);

    await app.workspace.command('U0ALICE', 'C0GROUP', '/probe buttons', { wait: true });
    const second = app.workspace.visibleMessages('U0ALICE', 'C0GROUP').filter((m) => m.blocks).at(-1)!;
    await app.workspace.act('U0ALICE', { channel: 'C0GROUP', ts: second.ts }, '1.1', null);
    await expect.poll(() => app.workspace.visibleMessages('U0ALICE', 'C0GROUP').some((m) => m.ts === second.ts)).toBe(false);
  });

  it('refuses a response_url post with blocks Slack would refuse, and shows nothing', async () => {
    await app.workspace.command('U0ALICE', 'C0GROUP', '/probe buttons', { wait: true });
    const msg = app.workspace.visibleMessages('U0ALICE', 'C0GROUP').find((m) => m.blocks)!;
    const count = app.fake.messages.length;
    await app.workspace.act('U0ALICE', { channel: 'C0GROUP', ts: msg.ts }, '1.2', null);
    const refused = await app.fake.waitFor((c) => c.method === 'response_url' && !c.ok);
    expect(refused.error).toBe('invalid_blocks');
    expect(app.fake.messages).toHaveLength(count);
  });

  it('delivers member_joined_channel when docket is invited with /invite, and docket says hello', async () => {
    const r = await app.workspace.command('U0ALICE', 'C0RANDOM', '/invite @docket');
    expect(r).toEqual({ ok: true });
    expect(app.fake.channels.get('C0RANDOM')?.bot_member).toBe(true);
    const hello = await app.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C0RANDOM');
    expect(hello.ok).toBe(true);
    expect(hello.args.user).toBe('U0ALICE');
    expect(String(hello.args.text)).toContain('/docket setup');
  });
});
