import type { Limits } from '../platform/config';
import type { Logger } from '../platform/logger';
import { ErrorCode } from '../shared/error-codes';
import type { QuizSocket } from './types';

/** The client events and how many arguments come before the ack: `answer:submit (payload, ack)`, `room:sync (ack)`. */
const EVENTS = new Map<unknown, number>([
  ['answer:submit', 1],
  ['room:sync', 0],
]);

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Synchronous and in memory, because it
 * guards one connection's events in the order they arrive, before any handler awaits anything.
 */
export function tokenBucket(perSecond: number, burst: number, now: () => number = performance.now.bind(performance)) {
  let tokens = burst;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

type BudgetLimits = Pick<Limits, 'socketEventsPerSecond' | 'socketEventBurst' | 'socketRefusalsBeforeDisconnect'>;

/**
 * Socket.IO middleware for one socket: every client event spends a token. Over budget, the event is
 * refused with an error ack `RATE_LIMITED` and never reaches its handler; after
 * `socketRefusalsBeforeDisconnect` refusals with no accepted event between them, the socket is
 * dropped. An unknown event is refused `BAD_REQUEST`. A known event's ack is found wherever the
 * client put it (an extra argument before it is dropped), so every event that carries an ack gets one.
 */
export function eventBudget(socket: QuizSocket, limits: BudgetLimits, log: Logger) {
  const bucket = tokenBucket(limits.socketEventsPerSecond, limits.socketEventBurst);
  let refusedInARow = 0;
  return (packet: unknown[], next: (err?: Error) => void): void => {
    const [event, ...args] = packet;
    // Socket.IO appends the ack function last when the client asked for one.
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (answer: unknown) => void) : null;
    const ackAt = ack ? args.length - 1 : -1;
    const refuse = (code: ErrorCode, message: string) => ack?.({ ok: false, error: { code, message } });

    if (!bucket.take()) {
      refusedInARow++;
      refuse(ErrorCode.RateLimited, `Too many events: at most ${limits.socketEventsPerSecond} a second (bursts of ${limits.socketEventBurst}). Slow down.`);
      if (refusedInARow >= limits.socketRefusalsBeforeDisconnect) {
        log.warn('socket dropped for sending too many events', { room: socket.data.roomCode, id: socket.data.id });
        socket.disconnect(true);
      }
      return;
    }
    refusedInARow = 0;
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
