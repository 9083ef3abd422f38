import { io, type Socket } from 'socket.io-client';
import type { ConnectRefusal as ConnectRefusalData } from '../../src/shared/connect-refusal';
import type { PlayerYou, RoomView } from '../../src/shared/room';
import type { AnswerAck, AnswerSubmit, ClientToServerEvents, Countdown, RoomClosed, ServerToClientEvents, SyncAck } from '../../src/shared/socket-events';

export type { AnswerAck, SyncAck };

/** Everything a client received, in order, with the local receive time. Acks are frames too. */
export type Frame =
  | { event: 'room:view'; payload: RoomView; at: number }
  | { event: 'room:you'; payload: PlayerYou; at: number }
  | { event: 'room:countdown'; payload: Countdown; at: number }
  | { event: 'room:closed'; payload: RoomClosed; at: number }
  | { event: 'ack:answer:submit'; payload: AnswerAck; at: number; sent: unknown }
  | { event: 'ack:room:sync'; payload: SyncAck; at: number }
  | { event: 'server:restarting'; payload: { reconnect: true }; at: number }
  /** The client's own connection changes, so a test sees where a connection dropped and came back. */
  | { event: 'client:connect'; payload: { recovered: boolean }; at: number }
  | { event: 'client:disconnect'; payload: { reason: string }; at: number };

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const ACK_TIMEOUT_MS = 5_000;

export interface ConnectRefusal {
  message: string;
  data: ConnectRefusalData | undefined;
}

export interface ConnectOptions {
  /**
   * Reconnect by itself as a real client does (Socket.IO's own reconnection, quick retries), keeping
   * one frame record across connections. Off by default: a test then sees a dropped connection as
   * it happened instead of a silent retry.
   */
  reconnect?: boolean;
}

function open(url: string, token: unknown, { reconnect = false }: ConnectOptions = {}): ClientSocket {
  return io(url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: reconnect,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1000,
  });
}

/** A real Socket.IO client that records every frame it receives, for assertions after the fact. */
export class RecordingClient {
  readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly label: string,
    readonly socket: ClientSocket,
  ) {
    socket.onAny((event: string, payload: unknown) => this.record({ event, payload, at: Date.now() } as Frame));
    socket.on('connect', () => this.record({ event: 'client:connect', payload: { recovered: socket.recovered }, at: Date.now() }));
    socket.on('disconnect', (reason) => this.record({ event: 'client:disconnect', payload: { reason }, at: Date.now() }));
  }

  /** Connects and resolves once admitted; a refused handshake rejects with the server's message. */
  static connect(url: string, token: string, label: string, options?: ConnectOptions): Promise<RecordingClient> {
    const socket = open(url, token, options);
    const client = new RecordingClient(label, socket);
    return new Promise((resolve, reject) => {
      const refused = (err: Error) => {
        socket.close();
        reject(new Error(`${label} could not connect: ${err.message}`));
      };
      socket.once('connect', () => {
        // Only the first connection may fail the connect; a reconnecting client retries on its own.
        socket.off('connect_error', refused);
        resolve(client);
      });
      socket.once('connect_error', refused);
    });
  }

  /** Connects with a token that should be refused, and returns how it was refused. */
  static refusal(url: string, token: unknown): Promise<ConnectRefusal | 'connected'> {
    const socket = open(url, token);
    return new Promise((resolve) => {
      socket.once('connect', () => {
        socket.close();
        resolve('connected');
      });
      socket.once('connect_error', (err: Error & { data?: ConnectRefusalData }) => {
        socket.close();
        resolve({ message: err.message, data: err.data });
      });
    });
  }

  private record(frame: Frame): void {
    this.frames.push(frame);
    for (const wake of this.waiters) wake();
  }

  views(): RoomView[] {
    return this.frames.flatMap((f) => (f.event === 'room:view' ? [f.payload] : []));
  }

  yous(): PlayerYou[] {
    return this.frames.flatMap((f) => (f.event === 'room:you' ? [f.payload] : []));
  }

  countdowns(): { payload: Countdown; at: number }[] {
    return this.frames.flatMap((f) => (f.event === 'room:countdown' ? [{ payload: f.payload, at: f.at }] : []));
  }

  /** Resolves with the first received frame (already or later) that matches. */
  waitFor<F extends Frame>(what: string, match: (f: Frame) => f is F, timeoutMs?: number): Promise<F>;
  waitFor(what: string, match: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  waitFor(what: string, match: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const f = this.frames.find(match);
        if (!f) return;
        cleanup();
        resolve(f);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: no frame for "${what}" within ${timeoutMs} ms; last frames: ${this.describeLast(5)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** The first view (already received or to come) that matches. */
  async waitForView(what: string, match: (v: RoomView) => boolean, timeoutMs?: number): Promise<RoomView> {
    const f = await this.waitFor(what, (f) => f.event === 'room:view' && match(f.payload), timeoutMs);
    return f.payload as RoomView;
  }

  /** Resolves once the connection has dropped and come back (a client made with `reconnect`). */
  async waitForReconnection(timeoutMs?: number): Promise<void> {
    const dropped = await this.waitFor('a dropped connection', (f) => f.event === 'client:disconnect', timeoutMs);
    const after = this.frames.indexOf(dropped);
    await this.waitFor('a new connection', (f) => f.event === 'client:connect' && this.frames.indexOf(f) > after, timeoutMs);
  }

  /** Stops reconnecting by itself until `reconnectNow()`: a client slow to come back (a phone between networks). */
  holdReconnection(): void {
    this.socket.io.reconnection(false);
  }

  reconnectNow(): void {
    this.socket.io.reconnection(true);
    this.socket.connect();
  }

  waitForQuestion(index: number, timeoutMs?: number): Promise<RoomView> {
    return this.waitForView(`question ${index}`, (v) => v.phase === 'question' && v.questionIndex === index, timeoutMs);
  }

  waitForPhase(phase: RoomView['phase'], questionIndex?: number, timeoutMs?: number): Promise<RoomView> {
    return this.waitForView(
      `phase ${phase}${questionIndex === undefined ? '' : ` of question ${questionIndex}`}`,
      (v) => v.phase === phase && (questionIndex === undefined || v.questionIndex === questionIndex),
      timeoutMs,
    );
  }

  /** Sends an answer and returns the server's acknowledgement. */
  submit(questionIndex: number, choice: number): Promise<AnswerAck> {
    return this.submitRaw({ questionIndex, choice });
  }

  /** Sends a typed answer, for a type-answer question. */
  submitText(questionIndex: number, text: string): Promise<AnswerAck> {
    return this.submitRaw({ questionIndex, text });
  }

  /** Sends any payload as an answer, for malformed ones. */
  async submitRaw(payload: unknown): Promise<AnswerAck> {
    // Deliberately anything: the tests send malformed answers on purpose.
    const ack = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('answer:submit', payload as AnswerSubmit)) as AnswerAck;
    this.record({ event: 'ack:answer:submit', payload: ack, at: Date.now(), sent: payload });
    return ack;
  }

  async sync(): Promise<SyncAck> {
    const ack = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('room:sync')) as SyncAck;
    this.record({ event: 'ack:room:sync', payload: ack, at: Date.now() });
    return ack;
  }

  /** The player's score as the server tells it now. */
  async score(): Promise<number> {
    const ack = await this.sync();
    if (!ack.ok || !ack.you) throw new Error(`${this.label}: sync gave no player state: ${JSON.stringify(ack)}`);
    return ack.you.score;
  }

  describeLast(n: number): string {
    return this.frames
      .slice(-n)
      .map((f) => `${f.event} ${JSON.stringify(f.payload).slice(0, 200)}`)
      .join(' | ');
  }

  close(): void {
    this.socket.close();
  }
}
