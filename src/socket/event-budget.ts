import type { Limits } from '../platform/config';
import type { Logger } from '../platform/logger';
import { ErrorCode } from '../shared/error-codes';
import type { QuizSocket } from './types';

/** The client events and how many arguments come before the ack: `answer:submit (payload, ack)`, `room:sync (ack)`. */
const EVENTS = new Map<unknown, number>([
  ['answer:submit', 1],
  ['room:sync', 0],
]);

/** The default clock of every bucket: one function, not a closure made for each. */
const monotonicNow = () => performance.now();

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Synchronous and in memory, because it
 * guards one connection's events in the order they arrive, before any handler awaits anything.
 * A class: one of these per connected identity, its method shared by all of them.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = monotonicNow,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

type BudgetLimits = Pick<Limits, 'socketEventsPerSecond' | 'socketEventBurst' | 'socketRefusalsBeforeDisconnect'>;

interface Spending {
  bucket: TokenBucket;
  refusedInARow: number;
  sockets: number;
  /** Dropped for abuse: connections of this identity are refused until then (performance.now()). */
  barredUntil: number;
  forget?: NodeJS.Timeout;
}

/**
 * Budgets by identity (room, kind and player or host id), not by connection: a socket that connects
 * again goes on with the budget its predecessor left, so dropping it costs the sender something. An
 * identity dropped for abuse is refused at the handshake for the time a budget takes to refill.
 * State lives in this process only; it is forgotten once an identity has had no socket that long.
 */
export function createEventBudgets(limits: BudgetLimits, log: Logger) {
  const spending = new Map<string, Spending>();
  const refillMs = (limits.socketEventBurst / limits.socketEventsPerSecond) * 1000;
  const idOf = (socket: QuizSocket) => `${socket.data.roomCode}:${socket.data.kind}:${socket.data.id}`;
  // One listener shared by every socket (`this` is the socket), not a closure held by each.
  function release(this: QuizSocket) {
    const id = idOf(this);
    const s = spending.get(id);
    if (s && --s.sockets === 0) s.forget = setTimeout(() => spending.delete(id), refillMs).unref();
  }
  return {
    /** Milliseconds this socket's identity must still wait before it may connect again; 0: it may. */
    barredFor(socket: QuizSocket): number {
      return Math.max(0, Math.ceil((spending.get(idOf(socket))?.barredUntil ?? 0) - performance.now()));
    },
    middleware(socket: QuizSocket) {
      const id = idOf(socket);
      let s = spending.get(id);
      if (!s) {
        s = { bucket: new TokenBucket(limits.socketEventsPerSecond, limits.socketEventBurst), refusedInARow: 0, sockets: 0, barredUntil: 0 };
        spending.set(id, s);
      }
      clearTimeout(s.forget);
      s.sockets++;
      socket.on('disconnect', release);
      return eventBudget(socket, limits, log, s);
    },
  };
}

/**
 * Socket.IO middleware for one socket: every client event spends a token. Over budget, the event is
 * refused with an error ack `RATE_LIMITED` and never reaches its handler; after
 * `socketRefusalsBeforeDisconnect` refusals with no accepted event between them, the socket is
 * dropped. An unknown event is refused `BAD_REQUEST`. A known event's ack is found wherever the
 * client put it (an extra argument before it is dropped), so every event that carries an ack gets one.
 * `shared`: the budget of the socket's identity (createEventBudgets); a budget of its own without.
 */
export function eventBudget(
  socket: QuizSocket,
  limits: BudgetLimits,
  log: Logger,
  shared: Pick<Spending, 'bucket' | 'refusedInARow' | 'barredUntil'> = {
    bucket: new TokenBucket(limits.socketEventsPerSecond, limits.socketEventBurst),
    refusedInARow: 0,
    barredUntil: 0,
  },
) {
  const { bucket } = shared;
  return (packet: unknown[], next: (err?: Error) => void): void => {
    const [event, ...args] = packet;
    // Socket.IO appends the ack function last when the client asked for one.
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (answer: unknown) => void) : null;
    const ackAt = ack ? args.length - 1 : -1;
    const refuse = (code: ErrorCode, message: string) => ack?.({ ok: false, error: { code, message } });

    if (!bucket.take()) {
      shared.refusedInARow++;
      refuse(ErrorCode.RateLimited, `Too many events: at most ${limits.socketEventsPerSecond} a second (bursts of ${limits.socketEventBurst}). Slow down.`);
      if (shared.refusedInARow >= limits.socketRefusalsBeforeDisconnect) {
        log.warn('socket dropped for sending too many events', { room: socket.data.roomCode, id: socket.data.id });
        shared.refusedInARow = 0;
        shared.barredUntil = performance.now() + (limits.socketEventBurst / limits.socketEventsPerSecond) * 1000;
        socket.disconnect(true);
      }
      return;
    }
    shared.refusedInARow = 0;
    // A Map, not an object: an event named `toString` or `__proto__` is unknown, not a prototype's member.
    const before = EVENTS.get(event);
    if (before === undefined) return void refuse(ErrorCode.BadRequest, `Unknown event ${JSON.stringify(String(event)).slice(0, 60)}.`);
    // Handlers read (payload, ack) by position: put the ack where they look, whatever else was sent.
    const fixed = [...args.slice(0, Math.min(before, ackAt < 0 ? args.length : ackAt)), ...(ack ? [ack] : [])];
    while (fixed.length < before + (ack ? 1 : 0)) fixed.splice(fixed.length - (ack ? 1 : 0), 0, undefined);
    packet.splice(1, packet.length - 1, ...fixed);
    next();
  };
}
