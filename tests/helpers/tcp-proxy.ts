import net from 'node:net';

/**
 * A TCP proxy between docket and a server, to break the network for real: `drop()` resets
 * every connection at once (a failover, a NAT timeout, a cable pulled), and while `refusing`
 * new connections are reset on arrival.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  refusing = false;
  /** Connections accepted so far (each one a connection docket opened). */
  accepted = 0;
  port = 0;

  private constructor(targetPort: number, targetHost: string) {
    this.server = net.createServer((client) => {
      if (this.refusing) {
        client.resetAndDestroy();
        return;
      }
      this.accepted++;
      const upstream = net.connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** Resets every open connection (both directions), as a network failure does. */
  drop(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.resetAndDestroy();
    return n;
  }

  get open(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
