import { ErrorCode } from '../shared/error-codes';
import { retryAfterSeconds } from '../shared/retry-after';
import { authMiddleware, refusal } from './auth.middleware';
import { connectionHandler } from './connection.handler';
import { createRoomChannels } from './room-channels';
import { createEventBudgets } from './event-budget';
import { watchLostRooms } from './lost-rooms';
import { createRoomRelay } from './room-relay';
import type { QuizRedis } from '../store/redis';
import { type QuizServer, type RelayDeps, ioRoom } from './types';

/**
 * Attaches quizloop to a Socket.IO server: admission, per-connection handlers, and the
 * subscriptions to the channels of the rooms whose members this process holds, through which
 * the api and the worker reach the players. `stop()` ends its periodic check of the held rooms.
 */
export function createRelay(io: QuizServer, subscriber: QuizRedis, deps: RelayDeps): { stop: () => void } {
  const relay = createRoomRelay(io, deps);
  const channels = createRoomChannels(
    subscriber,
    deps.keys,
    (code, raw) => relay.onChannelMessage(code, raw),
    (code) => relay.catchUp(code),
  );
  // The adapter creates a local room with its first member and deletes it with its last.
  const adapter = io.of('/').adapter;
  adapter.on('create-room', (room: string) => {
    const code = ioRoom.codeOfGame(room);
    if (code) channels.hold(code);
  });
  adapter.on('delete-room', (room: string) => {
    const code = ioRoom.codeOfGame(room);
    if (code) {
      channels.release(code);
      relay.forget(code);
    }
  });
  const lostRooms = watchLostRooms(io, deps, relay);

  io.use(authMiddleware(deps));
  const budgets = createEventBudgets(deps.config.limits, deps.log);
  // An identity just dropped for flooding waits out a refill before it may connect again.
  io.use((socket, next) => {
    const ms = budgets.barredFor(socket);
    if (ms === 0) return next();
    const retryAfter = retryAfterSeconds(ms);
    const message = `Dropped for sending too many events; connect again in ${retryAfter} s.`;
    next(refusal(deps.metrics, 'event_flood', { code: ErrorCode.RateLimited, message, retryAfter }));
  });
  const onConnection = connectionHandler(io, deps, relay, { subscribed: (code) => channels.ready(code), youSent: relay.noteYouSent });
  io.on('connection', (socket) => {
    socket.use(budgets.middleware(socket));
    onConnection(socket).catch((err) => {
      deps.log.error('connection setup failed', { err });
      socket.disconnect(true);
    });
  });
  return { stop: lostRooms.stop };
}
