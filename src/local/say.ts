/**
 * `npm run say -- "/case close GZ-2026-001 returned" [--user alice] [--channel fugitive-recovery] [--click Confirm]`
 *
 * Sends one signed slash command to a docket running in local mode (`npm start`) and prints,
 * as plain text, the reply and every message the bot posted while handling it. With
 * `--click LABEL`, it then presses the reply's button with that label, as a person would.
 */
import { parseArgs } from 'node:util';
import { LOCAL_SIGNING_SECRET, loadConfig } from '../config.js';
import type { RecordedCall } from '../slack/fake/fake-slack.js';
import type { FakeChannel, FakeUser } from '../slack/fake/directory.js';
import { blocksToText } from '../slack/fake/render-text.js';
import { blockActionPayload, commandBody, interactionBody, send, signedPost, slackCommandText } from '../slack/fake/sender.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: 'string', default: 'alice' },
    channel: { type: 'string', default: 'fugitive-recovery' },
    click: { type: 'string', multiple: true, default: [] },
    url: { type: 'string' },
  },
});

const input = positionals.join(' ').trim();
const m = /^(\/\S+)\s*([\s\S]*)$/.exec(input);
if (!m) {
  console.error('usage: npm run say -- "/case help" [--user alice] [--channel fugitive-recovery] [--click LABEL]');
  process.exit(2);
}
const base = values.url ?? `http://127.0.0.1:${loadConfig().port}`;

async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${base}${path}`, init).catch(() => {
    console.error(`docket is not answering at ${base}: start it with \`npm start\` (local mode, no Slack variables set).`);
    process.exit(1);
  });
  if (!res.ok) {
    console.error(`${base}${path} answered ${res.status}: is docket running in local mode?`);
    process.exit(1);
  }
  return (await res.json()) as T;
}

const dir = await getJson<{ team_id: string; users: FakeUser[]; channels: FakeChannel[] }>('/_fake/directory');
const user = dir.users.find((u) => u.id === values.user || u.name === values.user);
const channel = dir.channels.find((c) => c.id === values.channel || c.name === values.channel.replace(/^#/, ''));
if (!user || !channel) {
  console.error(
    user
      ? `unknown channel "${values.channel}"; known: ${dir.channels.map((c) => c.name).join(', ')}`
      : `unknown user "${values.user}"; known: ${dir.users.map((u) => u.name).join(', ')}`,
  );
  process.exit(2);
}
const channelName = (id: string) => dir.channels.find((c) => c.id === id)?.name ?? id;
const nameOf = (id: string) => dir.users.find((u) => u.id === id)?.name;

/**
 * Posts one signed request, then prints what the bot did: waits for the reply (or a form),
 * then for a quiet spell so the posts that follow are caught too (channel posts leave through
 * the outbox, by a worker, a moment after the reply). Returns the reply.
 */
const QUIET_MS = 1500;
async function sendAndShow(body: string): Promise<RecordedCall | undefined> {
  const { last } = await getJson<{ last: number }>('/_fake/calls?after=999999999');
  const res = await send(`${base}/slack/events`, signedPost(LOCAL_SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
  if (res.status !== 200) {
    console.error(`docket answered HTTP ${res.status}`);
    process.exit(1);
  }
  const deadline = Date.now() + 10_000;
  let seen = last;
  let reply: RecordedCall | undefined;
  let answered = false;
  let quietSince = Date.now();
  while (Date.now() < deadline && !(answered && Date.now() - quietSince > QUIET_MS)) {
    const { calls } = await getJson<{ calls: RecordedCall[] }>(`/_fake/calls?after=${seen}`);
    for (const c of calls) {
      seen = c.seq;
      if (c.method === 'response_url') {
        answered = true;
        reply = c;
        console.log(`\n[reply, only visible to ${user!.name}]\n${blocksToText(c.args.blocks, c.args.text, nameOf)}`);
      } else if (c.method === 'chat.postMessage' && c.ok) {
        console.log(`\n[posted in #${channelName(c.response.channel)}]\n${blocksToText(c.args.blocks, c.args.text, nameOf)}`);
      } else if (c.method === 'views.open' && c.ok) {
        answered = true;
        console.log(`\n[a form opened: "${c.args.view?.title?.text}"; forms need the local workspace page]`);
      } else if (!c.ok) {
        console.log(`\n[Slack API ${c.method} failed: ${c.error}]`);
      }
    }
    if (calls.length) quietSince = Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!answered) {
    console.error('no reply within 10 seconds');
    process.exit(1);
  }
  return reply;
}

const fresh = () => getJson<{ trigger_id: string; response_url: string }>('/_fake/trigger', { method: 'POST' });
const ids = { teamId: dir.team_id, userId: user.id, channelId: channel.id };

let t = await fresh();
let reply = await sendAndShow(
  commandBody({ ...ids, command: m[1]!, text: slackCommandText(m[2]!, dir.users, dir.channels), userName: user.name, channelName: channel.name, triggerId: t.trigger_id, responseUrl: t.response_url }),
);
for (const label of values.click) {
  const button = (reply?.args.blocks as { elements?: { type: string; text?: { text: string }; action_id: string; value?: string }[] }[] | undefined)
    ?.flatMap((b) => b.elements ?? [])
    .find((e) => e.type === 'button' && e.text?.text.toLowerCase() === label.toLowerCase());
  if (!button) {
    console.error(`\nno button "${label}" in the reply`);
    process.exit(2);
  }
  console.log(`\n> ${user.name} clicks [${button.text!.text}]`);
  t = await fresh();
  reply = await sendAndShow(interactionBody(blockActionPayload({ ...ids, triggerId: t.trigger_id, responseUrl: t.response_url, actionId: button.action_id, value: button.value ?? '' })));
}
