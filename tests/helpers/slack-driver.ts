import type { FakeSlack, RecordedCall } from '../../src/slack/fake/fake-slack.js';
import { commandBody, send, signedPost } from '../../src/slack/fake/sender.js';
import { SECRET, TEAM } from './harness.js';

export interface Sent {
  triggerId: string;
  /** 0 when no HTTP answer came back (connection refused or reset: Slack would retry). */
  status: number;
  /** The text of an ephemeral answer given in the ack itself (a refusal), if any. */
  ackText: string | undefined;
}

/**
 * Sends signed slash commands to any docket (one in another process included) and reads what
 * came back: the ack, and the answers through response_url recorded by the fake Slack. For
 * fault tests, where there is no log of the app's to wait on.
 */
export class SlackDriver {
  constructor(
    readonly fake: FakeSlack,
    public url: string,
  ) {}

  async command(input: string, o: { user?: string; channel?: string; triggerId?: string; retryNum?: number } = {}): Promise<Sent> {
    const [command, ...rest] = input.split(' ');
    const triggerId = o.triggerId ?? this.fake.mintTrigger();
    const body = commandBody({
      command: command!,
      text: rest.join(' '),
      teamId: TEAM,
      userId: o.user ?? 'U0ALICE',
      channelId: o.channel ?? 'C0GROUP',
      triggerId,
      responseUrl: this.fake.responseUrl(triggerId),
    });
    try {
      const res = await send(`${this.url}/slack/events`, signedPost(SECRET, body, 'application/x-www-form-urlencoded', o.retryNum ? { retryNum: o.retryNum } : {}));
      let ackText: string | undefined;
      if (res.text) ackText = String((JSON.parse(res.text) as { text?: unknown }).text ?? '');
      return { triggerId, status: res.status, ackText };
    } catch {
      return { triggerId, status: 0, ackText: undefined };
    }
  }

  replies(triggerId: string): RecordedCall[] {
    return this.fake.calls.filter((c) => c.method === 'response_url' && c.args.response_id === triggerId);
  }

  /** The first answer through response_url for this request (past or future). */
  reply(triggerId: string, timeoutMs = 20_000): Promise<RecordedCall> {
    return this.fake.waitFor((c) => c.method === 'response_url' && c.args.response_id === triggerId, timeoutMs);
  }

  /** Whether a request got an answer: in its ack, or through response_url. */
  answered(s: Sent): boolean {
    return Boolean(s.ackText) || this.replies(s.triggerId).length > 0;
  }
}
