import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('runs in local mode with sensible defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      slack: { kind: 'local' },
      slackApiUrl: undefined,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/docket',
      databasePoolMax: 10,
      databaseAcquireTimeoutMs: 5000,
      databaseStatementTimeoutMs: 15000,
      requests: { concurrency: 20, queueMax: 500, leaseMs: 15000, sweepMs: 5000, drainMs: 10000, runIn: 'web' },
      workers: { batchMax: 50, batchesInFlight: 7, channelIntervalMs: 1050, concurrency: 50, leaseMs: 30000, lockMs: 30000, queuePrefix: 'docket', reconcileIntervalMs: 20000, scheduleIntervalMs: 5000, timelineRetentionDays: undefined },
      databaseUrlGiven: false,
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      host: undefined,
      metrics: { port: undefined, token: undefined },
      publicUrl: undefined,
      logLevel: 'info',
    });
  });

  it('tells a given DATABASE_URL from the default (only the default may fall back to an embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example:5432/docket' }).databaseUrlGiven).toBe(true);
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrlGiven).toBe(false);
  });

  it('refuses the local workspace in production, and says what to set instead', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^NODE_ENV is production but no Slack credentials are set: set SLACK_BOT_TOKEN/);
    expect(loadConfig({ NODE_ENV: 'production', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.kind).toBe('http');
    expect(loadConfig({ NODE_ENV: 'development' }).slack.kind).toBe('local');
  });

  it('reads HTTP and Socket Mode credentials', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toEqual({ kind: 'http', botToken: 'xoxb-1', signingSecret: 's' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.kind).toBe('socket');
  });

  describe('many workspaces through OAuth', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const oauth = { SLACK_CLIENT_ID: '1234567890.987654321', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'a-state-secret-long-enough', SLACK_SIGNING_SECRET: 's', TOKEN_ENCRYPTION_KEYS: `k1:${key}`, PUBLIC_URL: 'https://docket.example.org' };

    it('is chosen by SLACK_CLIENT_ID, with its companions and the keys that seal the tokens', () => {
      const c = loadConfig({ ...oauth, NODE_ENV: 'production' });
      expect(c.slack).toMatchObject({ kind: 'oauth', clientId: '1234567890.987654321', clientSecret: 'client-secret', stateSecret: 'a-state-secret-long-enough', signingSecret: 's' });
      const s = c.slack as Extract<typeof c.slack, { kind: 'oauth' }>;
      expect(s.tokenKeys.current).toBe('k1');
      expect(s.tokenKeys.keys.get('k1')).toEqual(Buffer.alloc(32, 7));
    });

    it('names each missing companion in one line', () => {
      for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET', 'TOKEN_ENCRYPTION_KEYS'] as const) {
        const env = { ...oauth, [name]: '' };
        expect(() => loadConfig(env), name).toThrow(ConfigError);
        expect(() => loadConfig(env), name).toThrow(new RegExp(`^${name} is missing \\(it is required with SLACK_CLIENT_ID`));
      }
    });

    it('needs the public address in production: Slack sends installers back there', () => {
      expect(() => loadConfig({ ...oauth, NODE_ENV: 'production', PUBLIC_URL: '' })).toThrow(/^PUBLIC_URL is missing \(it is required with SLACK_CLIENT_ID in production/);
      expect(loadConfig({ ...oauth, NODE_ENV: 'development' }).slack.kind).toBe('oauth');
    });

    it('refuses a bot token or an app token beside it: one workspace or many, not both', () => {
      expect(() => loadConfig({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set/);
      expect(() => loadConfig({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/^SLACK_APP_TOKEN and SLACK_CLIENT_ID are both set/);
    });

    it('refuses unusable keys, a short state secret and a client id of the wrong shape, never repeating a secret', () => {
      expect(() => loadConfig({ ...oauth, TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/^TOKEN_ENCRYPTION_KEYS is invalid: key "k1" is not 32 bytes/);
      expect(() => loadConfig({ ...oauth, TOKEN_ENCRYPTION_KEYS: key })).toThrow(/^TOKEN_ENCRYPTION_KEYS is invalid/);
      expect(() => loadConfig({ ...oauth, TOKEN_ENCRYPTION_KEYS: key })).not.toThrow(new RegExp(key.slice(0, 12).replace(/[+/]/g, '.')));
      expect(() => loadConfig({ ...oauth, SLACK_STATE_SECRET: 'short' })).toThrow(/^SLACK_STATE_SECRET is invalid: use at least 16/);
      expect(() => loadConfig({ ...oauth, SLACK_CLIENT_ID: 'docket' })).toThrow(/^SLACK_CLIENT_ID is invalid/);
    });
  });

  it('fails with one line naming the bad variable', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ PORT: 'eighty' }, /^PORT is invalid/],
      [{ PORT: '70000' }, /^PORT is invalid/],
      [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL is invalid/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL is invalid/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is missing/],
      [{ SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN is missing/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
  });

  it('reads docket’s public base URL without its trailing slash, and refuses one a path cannot follow', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://docket.example.org/' }).publicUrl).toBe('https://docket.example.org');
    expect(loadConfig({ PUBLIC_URL: 'https://example.org/docket' }).publicUrl).toBe('https://example.org/docket');
    for (const bad of ['docket.example.org', 'ftp://example.org', 'https://example.org/?a=1', 'https://example.org/#x']) expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/^PUBLIC_URL is invalid/);
  });

  it('reads the listening address and the metrics settings, and refuses what is not an address', () => {
    expect(loadConfig({}).host).toBeUndefined();
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'docket.internal']) expect(loadConfig({ HOST: host }).host).toBe(host);
    for (const bad of ['http://0.0.0.0', '0.0.0.0:3000', 'a host']) expect(() => loadConfig({ HOST: bad }), bad).toThrow(/^HOST is invalid/);
    expect(loadConfig({}).metrics).toEqual({ port: undefined, token: undefined });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'a-long-enough-token' }).metrics).toEqual({ port: 9464, token: 'a-long-enough-token' });
    expect(() => loadConfig({ METRICS_PORT: '99999' })).toThrow(/^METRICS_PORT is invalid/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/^METRICS_TOKEN is invalid/);
    // The message names the variable and the rule, never the value.
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in it here' })).toThrow(/^METRICS_TOKEN is invalid: printable characters only/);
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in it here' })).not.toThrow(/space in it/);
  });

  it('keeps closed cases’ timelines forever unless TIMELINE_RETENTION_DAYS says how long, at least 30 days', () => {
    expect(loadConfig({}).workers.timelineRetentionDays).toBeUndefined();
    expect(loadConfig({ TIMELINE_RETENTION_DAYS: '' }).workers.timelineRetentionDays).toBeUndefined();
    expect(loadConfig({ TIMELINE_RETENTION_DAYS: '1825' }).workers.timelineRetentionDays).toBe(1825);
    for (const bad of ['7', '0', '-30', 'forever', '2.5']) expect(() => loadConfig({ TIMELINE_RETENTION_DAYS: bad }), bad).toThrow(/^TIMELINE_RETENTION_DAYS is invalid/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('reads where requests run, and refuses anything but web or worker', () => {
    expect(loadConfig({ REQUESTS_RUN_IN: 'worker' }).requests.runIn).toBe('worker');
    expect(() => loadConfig({ REQUESTS_RUN_IN: 'threads' })).toThrow(/^REQUESTS_RUN_IN is invalid/);
  });
});
