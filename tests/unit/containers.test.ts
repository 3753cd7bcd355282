import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';

/**
 * No Docker daemon runs here, so the compose file and the image are checked by what they say:
 * this file reads docker-compose.yml and .dockerignore; tests/integration/production-image.test.ts
 * carries out the Dockerfile's steps.
 */
const root = new URL('../..', import.meta.url).pathname;
const compose = load(readFileSync(`${root}docker-compose.yml`, 'utf8')) as Record<string, any>;
const services = compose.services as Record<string, Record<string, any>>;

/** Compose's variable interpolation (${X}, ${X:-default}, ${X:?error}) with the values given. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string) => {
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? arg : '';
  });
}
const envOf = (service: string, vars: Record<string, string>) =>
  Object.fromEntries(Object.entries(services[service]!.environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v), vars)]));

const dotenv = { POSTGRES_PASSWORD: 'pw', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', PUBLIC_URL: 'https://docket.example.org' };
const fromDockerfile = 'dist/src/main.js';

describe('docker-compose.yml', () => {
  it('runs Postgres 16, Redis 7, a one-shot migration, the web side and two workers', () => {
    expect(Object.keys(services).sort()).toEqual(['migrate', 'postgres', 'redis', 'web', 'worker']);
    expect(services.postgres!.image).toBe('postgres:16');
    expect(services.redis!.image).toBe('redis:7');
    expect(services.worker!.deploy).toEqual({ replicas: 2 });
    for (const s of ['migrate', 'web', 'worker']) {
      expect(services[s]!.build, s).toBe('.');
      expect(services[s]!.command[0], s).toBe('node');
      // The entry points the image's build produces, from sources that exist.
      const script = services[s]!.command[1] as string;
      expect(existsSync(`${root}${script.replace(/^dist\//, '').replace(/\.js$/, '.ts')}`), script).toBe(true);
    }
    expect(services.migrate!.command).toEqual(['node', 'dist/src/db/migrate-cli.js']);
    expect(services.web!.command).toEqual(['node', fromDockerfile, '--role=web']);
    expect(services.worker!.command).toEqual(['node', fromDockerfile, '--role=worker']);
    expect(readFileSync(`${root}Dockerfile`, 'utf8')).toContain(`CMD ["node", "${fromDockerfile}"]`);
  });

  it('keeps Redis’s jobs: no eviction, the append-only file on, its data on a volume; Postgres’s data on a volume', () => {
    const cmd = (services.redis!.command as string[]).join(' ');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(cmd).toContain('--appendonly yes');
    expect(services.redis!.volumes).toEqual(['redisdata:/data']);
    expect(services.postgres!.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['pgdata', 'redisdata']);
  });

  it('starts docket only after the migration finished, and the migration only once Postgres is healthy', () => {
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate!.restart).toBe('no');
    for (const s of ['web', 'worker']) {
      expect(services[s]!.depends_on, s).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[s]!.restart, s).toBe('unless-stopped');
    }
    expect(services.postgres!.healthcheck.test).toEqual(['CMD', 'pg_isready', '-U', 'docket', '-d', 'docket']);
    expect(services.redis!.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services.web!.healthcheck.test.join(' ')).toContain('http://127.0.0.1:3000/readyz');
    // A worker has no HTTP server: the image's /healthz check would call it unhealthy forever.
    expect(services.worker!.healthcheck).toEqual({ disable: true });
  });

  it('gives every docket process the same settings, which load as a production configuration against the compose services', () => {
    const web = envOf('web', dotenv);
    expect(envOf('worker', dotenv)).toEqual(web);
    expect(envOf('migrate', dotenv)).toEqual(web);
    for (const k of Object.keys(web)) expect([...CONFIG_VARIABLES, 'NODE_ENV'], `${k} is not a variable docket reads`).toContain(k);
    const config = loadConfig(web);
    expect(config.slack).toEqual({ kind: 'http', botToken: 'xoxb-1', signingSecret: 'secret' });
    expect(new URL(config.databaseUrl).host).toBe('postgres:5432');
    expect(new URL(config.databaseUrl).password).toBe('pw');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.publicUrl).toBe('https://docket.example.org');
    expect(config.workers.timelineRetentionDays).toBeUndefined();
    // Socket Mode: the app token instead of the signing secret, and no public URL.
    const socket = loadConfig(envOf('web', { POSTGRES_PASSWORD: 'pw', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }));
    expect(socket.slack.kind).toBe('socket');
    expect(socket.publicUrl).toBeUndefined();
    // Postgres's own password is the one docket connects with.
    expect(interpolate(services.postgres!.environment.POSTGRES_PASSWORD, dotenv)).toBe('pw');
  });

  it('refuses to start without the database password or Slack credentials, naming the variable', () => {
    expect(() => envOf('web', { ...dotenv, POSTGRES_PASSWORD: '' })).toThrow(/^POSTGRES_PASSWORD: set POSTGRES_PASSWORD in \.env/);
    // No bot token and no OAuth client: docket's own configuration refuses, in production, naming both ways.
    expect(() => loadConfig(envOf('web', { ...dotenv, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }))).toThrow(/no Slack credentials are set: set SLACK_BOT_TOKEN .* or SLACK_CLIENT_ID/);
    expect(() => loadConfig(envOf('web', { ...dotenv, SLACK_BOT_TOKEN: '' }))).toThrow(/^SLACK_BOT_TOKEN is missing/);
  });

  it('passes the OAuth variables through for many workspaces, which load as an OAuth deployment', () => {
    const oauth = { POSTGRES_PASSWORD: 'pw', SLACK_SIGNING_SECRET: 'secret', PUBLIC_URL: 'https://docket.example.org', SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-0123456789', TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}` };
    const config = loadConfig(envOf('web', oauth));
    expect(config.slack).toMatchObject({ kind: 'oauth', clientId: '1234.5678', clientSecret: 'client-secret', signingSecret: 'secret' });
    expect(envOf('worker', oauth)).toEqual(envOf('web', oauth));
    // Both ways at once is refused.
    expect(() => loadConfig(envOf('web', { ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/^SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set/);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(`${root}.dockerignore`, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const copied = readFileSync(`${root}Dockerfile`, 'utf8')
    .split('\n')
    .filter((l) => /^COPY (?!--from)/.test(l))
    .flatMap((l) => l.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1));

  it('keeps secrets, local state and the host’s node_modules out of the build context', () => {
    for (const p of ['.env', '.docket', 'node_modules', 'dist', '.git']) expect(ignored).toContain(p);
  });

  it('leaves in everything the Dockerfile copies', () => {
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', '.npmrc', 'src', 'migrations']));
    for (const c of copied) {
      expect(existsSync(`${root}${c}`), c).toBe(true);
      expect(ignored.filter((p) => c === p || c.startsWith(`${p}/`)), c).toEqual([]);
    }
  });
});
