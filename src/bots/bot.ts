import { type Socket, io } from 'socket.io-client';
import { afterConnectError } from '../shared/connect-refusal';
import type { PlayerYou, RoomView } from '../shared/room';
import type { ClientToServerEvents, Countdown, RoomClosed, ServerToClientEvents } from '../shared/socket-events';

export interface BotStats {
  answered: number;
  refused: number;
  lastError: string | null;
}

/**
 * After a handshake the server refused, connects again when it says (RATE_LIMITED's `retryAfter`; a moment for a
 * refusal that may pass), and never after a final one (a kicked player, a room gone). Socket.IO retries network
 * failures by itself but not a refusal. Returns the function that cancels a wait, for when the socket is closed.
 */
export function reconnectAfterRefusals(socket: Socket<ServerToClientEvents, ClientToServerEvents>, onError: (message: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect_error', (err) => {
    const next = afterConnectError(err);
    onError(next.kind === 'network' ? err.message : `${next.refusal?.code ?? 'REFUSED'}: ${err.message}`);
    if (next.kind !== 'wait' || socket.active) return;
    clearTimeout(timer);
    // A little spread, so bots refused together do not all come back in the same instant.
    timer = setTimeout(() => socket.connect(), next.ms + Math.random() * 250);
  });
  return () => clearTimeout(timer);
}

/**
 * One bot: a real Socket.IO player. For every question it either lets it pass or answers
 * a random choice at a random moment before the deadline; it never knows the right answer.
 */
export class Bot {
  readonly stats: BotStats = { answered: 0, refused: 0, lastError: null };
  view: RoomView | null = null;
  you: PlayerYou | null = null;
  countdown: Countdown | null = null;
  /** Why the server closed this player's room to it, once it has. */
  closed: RoomClosed | null = null;
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private answeredIndex = -1;
  private timer: NodeJS.Timeout | null = null;
  private readonly stopReconnecting: () => void;

  constructor(
    readonly nickname: string,
    url: string,
    token: string,
    private readonly skipRate: number,
    private readonly onChange: () => void,
  ) {
    this.socket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 2000 });
    this.stopReconnecting = reconnectAfterRefusals(this.socket, (message) => {
      this.stats.lastError = message;
      onChange();
    });
    this.socket.on('room:view', (view) => this.onView(view));
    this.socket.on('room:you', (you) => {
      this.you = you;
      onChange();
    });
    this.socket.on('room:countdown', (c) => {
      this.countdown = c;
      onChange();
    });
    this.socket.on('room:closed', (closed) => {
      this.closed = closed;
      onChange();
    });
  }

  private onView(view: RoomView): void {
    this.view = view;
    const q = view.question;
    if (view.phase === 'question' && q && this.answeredIndex < q.index && view.deadlineAt) {
      this.answeredIndex = q.index;
      if (Math.random() >= this.skipRate) {
        // Server and bot clocks may differ: aim within the time left by the server's own reckoning.
        const remaining = view.deadlineAt - view.serverNow;
        const delay = Math.max(50, Math.random() * remaining * 0.9);
        // A bot never knows the answer: a random choice, or for a type-answer question a word that is rarely right.
        const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
        this.timer = setTimeout(() => this.answer(q.index, guess), delay);
      }
    }
    this.onChange();
  }

  private answer(questionIndex: number, guess: { choice: number } | { text: string }): void {
    this.socket.emit('answer:submit', { questionIndex, ...guess }, (ack) => {
      if (ack.ok) this.stats.answered++;
      else {
        this.stats.refused++;
        this.stats.lastError = `${ack.error.code}: ${ack.error.message}`;
      }
      this.onChange();
    });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.stopReconnecting();
    this.socket.close();
  }
}
