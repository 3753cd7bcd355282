import { describe, expect, it } from 'vitest';
import { commandBody, send, signedPost } from '../../src/slack/fake/sender.js';
import { SECRET, TEAM, useHarness } from '../helpers/harness.js';

const h = useHarness();

function body(triggerId: string) {
  return commandBody({ command: '/case', text: 'help', teamId: TEAM, userId: 'U0ALICE', channelId: 'C0GROUP', triggerId, responseUrl: h.fake.responseUrl(triggerId) });
}

describe('the HTTP endpoint', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('reports Postgres and Redis as reachable on /readyz', async () => {
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, checks: { postgres: true, redis: true, pool: true, requests: true } });
  });

  it('rejects a request signed with the wrong secret (401) and does nothing', async () => {
    const trigger = h.fake.mintTrigger();
    const res = await send(`${h.url}/slack/events`, signedPost('not-the-secret', body(trigger), 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(401);
    expect(h.fake.calls.filter((c) => c.method === 'response_url')).toHaveLength(0);
  });

  it('rejects a correctly signed request older than five minutes (401)', async () => {
    const trigger = h.fake.mintTrigger();
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await send(`${h.url}/slack/events`, signedPost(SECRET, body(trigger), 'application/x-www-form-urlencoded', { timestamp: stale }));
    expect(res.status).toBe(401);
  });

  it('acknowledges a signed command with 200 and answers through response_url', async () => {
    const r = await h.command('/case help');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.text).toContain('/case open');
    expect(r.reply?.args.response_type).toBe('ephemeral');
  });
});
