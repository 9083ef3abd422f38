import net from 'node:net';

interface Target {
  host: string;
  port: number;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** The end of what the client sent last, so a marker split across two chunks is still found. */
  tail: string;
}

interface Cut {
  marker: string;
  deliver: boolean;
  done: () => void;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL in the tests). Taking the proxy
 * away looks, to the processes behind it, like the server going down, and the server is untouched.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<Link>();
  private cut: Cut | null = null;

  private constructor(
    private readonly target: Target,
    private port = 0,
  ) {}

  /** A proxy in front of the server a URL names, and that URL with the proxy's host and port. */
  static async inFrontOf(serverUrl: string, defaultPort: number): Promise<{ proxy: TcpProxy; url: string }> {
    const url = new URL(serverUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || defaultPort) });
    await proxy.resume();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return { proxy, url: url.toString() };
  }

  /** Listens (again, on the same port once it has one): the server is reachable. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => this.link(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection: what is connected sees an error, new connections are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Drops the connection on which a client next sends `marker`, mid-conversation. With `deliver`,
   * the server gets that chunk first (a COMMIT that lands, its reply lost); without, it never does.
   * Resolves once the connection is dropped.
   */
  cutWhenSent(marker: string, { deliver }: { deliver: boolean }): Promise<void> {
    return new Promise((resolve) => {
      this.cut = { marker, deliver, done: resolve };
    });
  }

  private link(client: net.Socket): void {
    const upstream = net.connect(this.target);
    const link: Link = { client, upstream, tail: '' };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.forward(link, chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    // Either side going away ends the other; `end` rather than `destroy` lets a delivered chunk reach the server.
    const unlink = () => {
      this.links.delete(link);
      client.destroy();
      upstream.end();
    };
    client.on('close', unlink);
    upstream.on('close', unlink);
    client.on('error', unlink);
    upstream.on('error', unlink);
  }

  private forward(link: Link, chunk: Buffer): void {
    const text = link.tail + chunk.toString('latin1');
    const cut = this.cut;
    if (cut && text.includes(cut.marker)) {
      this.cut = null;
      this.links.delete(link);
      if (cut.deliver) link.upstream.end(chunk);
      else link.upstream.destroy();
      link.client.destroy();
      cut.done();
      return;
    }
    link.tail = cut ? text.slice(-cut.marker.length) : '';
    link.upstream.write(chunk);
  }
}
