/**
 * `npm run say -- "/case open Zhang" [--user alice] [--channel fugitive-recovery]`
 *
 * Sends one signed slash command to a docket running in local mode (`npm start`) and prints,
 * as plain text, the reply and every message the bot posted while handling it.
 */
import { parseArgs } from 'node:util';
import { LOCAL_SIGNING_SECRET, loadConfig } from '../config.js';
import type { RecordedCall } from '../slack/fake/fake-slack.js';
import type { FakeChannel, FakeUser } from '../slack/fake/directory.js';
import { blocksToText } from '../slack/fake/render-text.js';
import { commandBody, send, signedPost, slackCommandText } from '../slack/fake/sender.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: 'string', default: 'alice' },
    channel: { type: 'string', default: 'fugitive-recovery' },
    url: { type: 'string' },
  },
});

const input = positionals.join(' ').trim();
const m = /^(\/\S+)\s*([\s\S]*)$/.exec(input);
if (!m) {
  console.error('usage: npm run say -- "/case help" [--user alice] [--channel fugitive-recovery]');
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
if (!user) {
  console.error(`unknown user "${values.user}"; known: ${dir.users.map((u) => u.name).join(', ')}`);
  process.exit(2);
}
if (!channel) {
  console.error(`unknown channel "${values.channel}"; known: ${dir.channels.map((c) => c.name).join(', ')}`);
  process.exit(2);
}

const before = await getJson<{ last: number }>('/_fake/calls?after=999999999');
const { trigger_id, response_url } = await getJson<{ trigger_id: string; response_url: string }>('/_fake/trigger', { method: 'POST' });
const body = commandBody({
  command: m[1]!,
  text: slackCommandText(m[2]!, dir.users, dir.channels),
  teamId: dir.team_id,
  userId: user.id,
  channelId: channel.id,
  userName: user.name,
  channelName: channel.name,
  triggerId: trigger_id,
  responseUrl: response_url,
});
const res = await send(`${base}/slack/events`, signedPost(LOCAL_SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
if (res.status !== 200) {
  console.error(`docket answered HTTP ${res.status}`);
  process.exit(1);
}
if (res.text) console.log(res.text);

const responseId = decodeURIComponent(response_url.split('/').pop()!);
const channelName = (id: string) => dir.channels.find((c) => c.id === id)?.name ?? id;

/** Waits for the reply (or a modal), then for a short quiet spell so the posts that follow are caught too. */
const deadline = Date.now() + 10_000;
let seen = before.last;
let answered = false;
let quietSince = 0;
while (Date.now() < deadline) {
  const { calls } = await getJson<{ calls: RecordedCall[] }>(`/_fake/calls?after=${seen}`);
  for (const c of calls) {
    seen = c.seq;
    if (c.method === 'response_url' && c.args.response_id === responseId) {
      answered = true;
      console.log(`\n[reply, only visible to ${user.name}]\n${blocksToText(c.args.blocks, c.args.text)}`);
    } else if (c.method === 'chat.postMessage' && c.ok) {
      console.log(`\n[posted in #${channelName(c.response.channel)}]\n${blocksToText(c.args.blocks, c.args.text)}`);
    } else if (c.method === 'views.open' && c.ok) {
      answered = true;
      console.log(`\n[a form opened: "${c.args.view?.title?.text}"; forms need the local workspace page]`);
    } else if (!c.ok) {
      console.log(`\n[Slack API ${c.method} failed: ${c.error}]`);
    }
  }
  if (calls.length) quietSince = Date.now();
  if (answered && Date.now() - quietSince > 300) break;
  await new Promise((r) => setTimeout(r, 50));
}
if (!answered) {
  console.error('no reply within 10 seconds');
  process.exit(1);
}
