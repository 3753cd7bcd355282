import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SlackRefused, classifySlackFailure, connectToSlack, slackHost } from '../../src/slack/connect.js';

const { ErrorCode } = webApi;
const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: ErrorCode.PlatformError, data: { ok: false, error } });
const network = (code: string) => Object.assign(new Error('A request error occurred: fetch failed'), { code: ErrorCode.RequestError, original: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) }) });
const http = (statusCode: number) => Object.assign(new Error('An HTTP protocol error occurred'), { code: ErrorCode.HTTPError, statusCode });

/** Fails with the given errors in turn, then answers; records the waits and the lines. */
function script(...failures: unknown[]) {
  const waits: number[] = [];
  const lines: string[] = [];
  let calls = 0;
  const run = connectToSlack({
    attempt: async () => {
      const f = failures[calls++];
      if (f) throw f;
    },
    where: 'slack.com',
    say: (l) => lines.push(l),
    sleep: async (ms) => void waits.push(ms),
  });
  return { run, waits, lines, calls: () => calls };
}

describe('reaching Slack at start-up', () => {
  it('waits 1 s, then twice as long each time, at most 30 s, one line per attempt', async () => {
    const s = script(...Array.from({ length: 8 }, () => network('ECONNREFUSED')));
    await s.run;
    expect(s.waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(s.lines).toHaveLength(9);
    expect(s.lines[0]).toBe('Slack is not reachable at slack.com (ECONNREFUSED); trying again in 1 s (attempt 1); docket is not ready until Slack answers.');
    expect(s.lines[8]).toBe('Slack answered at attempt 9; docket is ready.');
  });

  it('says nothing when Slack answers at once', async () => {
    const s = script();
    await s.run;
    expect(s.lines).toEqual([]);
  });

  it('Slack failing (5xx, an error of its own) is waited out like the network', async () => {
    const s = script(http(503), platform('fatal_error'));
    await s.run;
    expect(s.lines[0]).toContain('Slack at slack.com answered HTTP 503; trying again in 1 s (attempt 1)');
    expect(s.lines[1]).toContain('Slack at slack.com answered "fatal_error"; trying again in 2 s (attempt 2)');
  });

  it.each([
    ['invalid_auth', 'it is not a valid token'],
    ['not_authed', 'no token reached Slack'],
    ['account_inactive', 'it belongs to a deactivated user or workspace'],
    ['token_revoked', 'it has been revoked'],
  ])('a refused token (%s) stops at once, saying why and naming SLACK_BOT_TOKEN', async (code, why) => {
    const s = script(platform(code));
    const err = await s.run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackRefused);
    expect((err as Error).message).toMatch(new RegExp(`^Slack refused SLACK_BOT_TOKEN \\(${code}\\): ${why}.*; set SLACK_BOT_TOKEN to .*\\.$`));
    expect((err as Error).message).not.toContain('\n');
    expect(s.calls()).toBe(1);
    expect(s.waits).toEqual([]);
  });

  it('an error that is not Slack’s surfaces as it is (a bug is not waited out)', async () => {
    const bug = new TypeError('x is not a function');
    expect(await script(bug).run.catch((e: unknown) => e)).toBe(bug);
  });

  it('a refused app token names SLACK_APP_TOKEN', () => {
    expect(classifySlackFailure(platform('invalid_auth'), 'slack.com', 'SLACK_APP_TOKEN')).toMatchObject({ kind: 'refused', line: expect.stringContaining('set SLACK_APP_TOKEN to an app-level token') });
  });

  it('names the host of the Web API, never its path', () => {
    expect(slackHost(undefined)).toBe('slack.com');
    expect(slackHost('http://127.0.0.1:4000/api/')).toBe('127.0.0.1:4000');
  });
});
