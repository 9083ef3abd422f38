import net from 'node:net';

interface Target {
  host: string;
  port: number;
}

/** Chunks on their way one way through a link, in order, each with when it may be written. */
interface Lane {
  to: net.Socket;
  queue: { at: number; chunk: Buffer; written?: () => void }[];
  timer: NodeJS.Timeout | null;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** The end of what the client sent last, so a marker split across two chunks is still found. */
  tail: string;
  up: Lane;
  down: Lane;
}

interface Hold {
  marker: string;
  ms: number;
  done: () => void;
}

interface Cut {
  marker: string;
  deliver: boolean;
  done: () => void;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, Redis or a socket process in the
 * tests). Taking the proxy away looks, to the processes behind it, like the server going down, and
 * the server is untouched. A delay makes what goes through it far away; a hold stalls one message.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<Link>();
  private cut: Cut | null = null;
  private hold: Hold | null = null;
  /** Added to every chunk, each way, in ms: a round trip through the proxy takes twice as long more. Order is kept. */
  delayMs = 0;

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

  /**
   * Holds back, by `ms` more, the chunk in which a client next sends `marker`, and everything after it
   * on that connection (nothing overtakes it). Resolves once that chunk has been passed on.
   */
  holdWhenSent(marker: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.hold = { marker, ms, done: resolve };
    });
  }

  private link(client: net.Socket): void {
    const upstream = net.connect(this.target);
    const lane = (to: net.Socket): Lane => ({ to, queue: [], timer: null });
    const link: Link = { client, upstream, tail: '', up: lane(upstream), down: lane(client) };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.forward(link, chunk));
    upstream.on('data', (chunk: Buffer) => this.pass(link.down, chunk));
    // Either side going away ends the other; `end` rather than `destroy` lets a delivered chunk reach the server.
    const unlink = () => {
      this.links.delete(link);
      for (const l of [link.up, link.down]) if (l.timer) clearTimeout(l.timer);
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
    const hold = this.hold;
    if (hold && text.includes(hold.marker)) {
      this.hold = null;
      link.tail = '';
      return this.pass(link.up, chunk, hold.ms, hold.done);
    }
    const marker = cut?.marker ?? hold?.marker;
    link.tail = marker ? text.slice(-marker.length) : '';
    this.pass(link.up, chunk);
  }

  /** Writes a chunk after the delay (and `extraMs`), never before one sent earlier the same way. */
  private pass(lane: Lane, chunk: Buffer, extraMs = 0, written?: () => void): void {
    const last = lane.queue.at(-1)?.at ?? 0;
    const at = Math.max(Date.now() + this.delayMs + extraMs, last);
    if (at <= Date.now() && lane.queue.length === 0) {
      if (!lane.to.destroyed) lane.to.write(chunk);
      written?.();
      return;
    }
    lane.queue.push({ at, chunk, written });
    if (!lane.timer) this.drain(lane);
  }

  private drain(lane: Lane): void {
    const head = lane.queue[0];
    if (!head) return;
    lane.timer = setTimeout(
      () => {
        lane.timer = null;
        const now = Date.now();
        while (lane.queue[0] && lane.queue[0].at <= now) {
          const { chunk, written } = lane.queue.shift()!;
          if (!lane.to.destroyed) lane.to.write(chunk);
          written?.();
        }
        this.drain(lane);
      },
      Math.max(0, head.at - Date.now()),
    );
  }
}
