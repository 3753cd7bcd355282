import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

/** The production logger, writing into an array instead of stdout. */
function capture() {
  const lines: string[] = [];
  const log = createLogger('info', { write: (l: string) => void lines.push(l) });
  return { log, text: () => lines.join('') };
}

describe('the logger', () => {
  it('writes JSON lines, one per entry, with the fields given', () => {
    const { log, text } = capture();
    log.info({ key: 'cmd:1', team: 'T0LOCAL' }, 'handled');
    const entry = JSON.parse(text()) as Record<string, unknown>;
    expect(entry).toMatchObject({ service: 'docket', key: 'cmd:1', team: 'T0LOCAL', msg: 'handled', level: 30 });
  });

  it('blanks tokens and secrets by field name, and Slack tokens wherever they appear', () => {
    const { log, text } = capture();
    log.info({ slack: { botToken: 'xoxb-1-abc', appToken: 'xapp-1-def', signingSecret: 'shh-secret-value' }, headers: { authorization: 'Bearer zzz-opaque' } }, 'config');
    log.warn({ err: { message: 'request to https://slack.com/api/auth.test?token=xoxb-22-ghi failed' } }, 'oops xoxp-33-jkl');
    const all = text();
    for (const secret of ['xoxb-1-abc', 'xapp-1-def', 'shh-secret-value', 'zzz-opaque', 'xoxb-22-ghi', 'xoxp-33-jkl']) expect(all).not.toContain(secret);
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
    expect(all.split('\n').filter(Boolean).every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
  });

  it('blanks typed text that slips into an object under the usual names', () => {
    const { log, text } = capture();
    log.info({ cmd: { text: 'open 张某某', title: 'Zhong Mouren', subject: 'Lhasa' } }, 'x');
    for (const s of ['张某某', 'Zhong Mouren', 'Lhasa']) expect(text()).not.toContain(s);
  });
});
