import { mkdirSync } from 'node:fs';

/**
 * An embedded Postgres for trying docket without installing one: PGlite (Postgres compiled
 * to WebAssembly) behind its wire-protocol socket server, so docket still talks to it with
 * the same `pg` driver over TCP and runs the same migrations. Only for local mode; PGlite
 * runs one transaction at a time (the socket server queues the other connections), which is
 * fine for one person trying the bot and wrong for production.
 *
 * The packages are dev dependencies, loaded only when this is used: a production install
 * (`npm ci --omit=dev`) never needs them.
 */
export interface EmbeddedPostgres {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedPostgres> {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  // Enough for docket's pool (10) plus the start-up checks; more only wait in the server's queue.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 12 });
  await server.start();
  return {
    // PGlite has one database whatever the name; "postgres" says so honestly.
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    dir,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
