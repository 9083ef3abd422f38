import net from 'node:net';

/**
 * A plain TCP load balancer on 127.0.0.1, as users put in front of several api or socket processes:
 * each new connection goes to the next backend in turn, or to the one after when that one refuses it
 * (a killed process). A frozen process still accepts connections, and they hang, as behind a real one.
 */
export class Balancer {
  private next = 0;
  private readonly open = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    /** Asked at each connection: the ports may be chosen after the balancer listens. */
    private readonly ports: () => number[],
  ) {}

  static async listen(ports: () => number[]): Promise<Balancer> {
    const server = net.createServer();
    const balancer = new Balancer(server, ports);
    server.on('connection', (client) => void balancer.link(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  private async link(client: net.Socket): Promise<void> {
    client.pause();
    this.open.add(client);
    client.once('close', () => this.open.delete(client));
    client.on('error', () => client.destroy());
    const ports = this.ports();
    const first = this.next++;
    for (let tried = 0; tried < ports.length && !client.destroyed; tried++) {
      const upstream = await connect(ports[(first + tried) % ports.length] ?? 0);
      if (!upstream) continue;
      this.open.add(upstream);
      upstream.once('close', () => {
        this.open.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      return;
    }
    client.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A connection to a local port, or null when nothing listens there. */
function connect(port: number): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}
