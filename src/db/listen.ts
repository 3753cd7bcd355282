import pg from 'pg';
import type { Logger } from '../logger.js';

export interface Listening {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` over a connection of its own (a pooled one would be handed to others),
 * calling `notified` for each notification. A lost connection is opened again after a pause
 * that grows to 5 s; `notified` is also called once it is back, since notifications sent
 * meanwhile were missed.
 */
export function listen(databaseUrl: string, channel: string, notified: () => void, log: Logger): Listening {
  let client: pg.Client | undefined;
  let closed = false;
  let pause = 100;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    c.on('notification', (n) => {
      if (n.channel === channel) notified();
    });
    c.on('error', (err) => {
      log.warn({ channel, code: (err as { code?: string }).code ?? err.name }, 'listening connection lost');
      retry(c);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      log.warn({ channel, code: (err as { code?: string }).code ?? (err as Error).name }, 'cannot listen yet');
      retry(c);
      return;
    }
    if (closed) return void (await c.end().catch(() => undefined));
    client = c;
    pause = 100;
    notified();
  };
  const retry = (c: pg.Client) => {
    if (client === c) client = undefined;
    void c.end().catch(() => undefined);
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, pause);
    pause = Math.min(pause * 2, 5000);
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
