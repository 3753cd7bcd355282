/**
 * The acknowledgement benchmark's load generator, in a process of its own: building, signing
 * and timing thousands of requests a second costs CPU that must not be billed to the server
 * it measures (nor slow that server's event loop). Takes one LoadSpec as JSON in argv[2],
 * prints one LoadResult as JSON on stdout. Every request is built and signed before the
 * first is sent, so the generator's own work does not shift the schedule.
 */
import { openLoop, type LoadResult } from './lib/load.js';
import { commandBody, interactionBody, blockActionPayload, signedPost, type SlackPost } from '../src/slack/fake/sender.js';

export type LoadSpec = {
  url: string;
  secret: string;
  rate: number;
  seconds: number;
  /** Added to the request number, so that trigger and view ids never repeat across runs. */
  offset: number;
  teamId: string;
  userId: string;
  channelId: string;
  /** Where response_urls point (the fake Slack). */
  slackUrl: string;
} & (
  | { surface: 'command'; command: string; /** `{i}` is replaced by the request number. */ text: string }
  | { surface: 'button'; actionId: string; /** Cycled through. */ values: string[] }
  | { surface: 'form'; /** The modal as the app built it; each submission gets its own view id. */ view: Record<string, unknown>; state: Record<string, unknown> }
);

function build(spec: LoadSpec, n: number): SlackPost {
  const trigger = `bench.${spec.surface}.${n}`;
  const common = { teamId: spec.teamId, userId: spec.userId, channelId: spec.channelId, triggerId: trigger, responseUrl: `${spec.slackUrl}/_fake/respond/${trigger}` };
  switch (spec.surface) {
    case 'command':
      return signedPost(spec.secret, commandBody({ ...common, command: spec.command, text: spec.text.replaceAll('{i}', String(n)) }), 'application/x-www-form-urlencoded');
    case 'button':
      return signedPost(spec.secret, interactionBody(blockActionPayload({ ...common, actionId: spec.actionId, value: spec.values[n % spec.values.length]! })), 'application/x-www-form-urlencoded');
    case 'form': {
      const payload = {
        type: 'view_submission',
        team: { id: spec.teamId, domain: 'local' },
        user: { id: spec.userId, username: spec.userId, name: spec.userId, team_id: spec.teamId },
        api_app_id: 'A0DOCKET',
        token: 'deprecated-verification-token',
        trigger_id: trigger,
        view: { ...spec.view, id: `VBENCH${n}`, team_id: spec.teamId, state: { values: spec.state } },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      return signedPost(spec.secret, interactionBody(payload), 'application/x-www-form-urlencoded');
    }
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const total = spec.rate * spec.seconds;
const requests = Array.from({ length: total }, (_, i) => build(spec, spec.offset + i));
const result: LoadResult = await openLoop({ url: spec.url, rate: spec.rate, requests });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
