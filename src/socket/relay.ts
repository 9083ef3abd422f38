import { authMiddleware } from './auth.middleware';
import { connectionHandler } from './connection.handler';
import { createRoomChannels } from './room-channels';
import { eventBudget } from './event-budget';
import { createRoomRelay } from './room-relay';
import type { QuizRedis } from '../store/redis';
import { type QuizServer, type RelayDeps, ioRoom } from './types';

/**
 * Attaches quizloop to a Socket.IO server: admission, per-connection handlers, and the
 * subscriptions to the channels of the rooms whose members this process holds, through which
 * the api and the worker reach the players.
 */
export function createRelay(io: QuizServer, subscriber: QuizRedis, deps: RelayDeps): void {
  const relay = createRoomRelay(io, deps);
  const channels = createRoomChannels(subscriber, deps.keys, (code, raw) => relay.onChannelMessage(code, raw));
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

  io.use(authMiddleware(deps));
  const onConnection = connectionHandler(io, deps, relay, { subscribed: (code) => channels.ready(code), youSent: relay.noteYouSent });
  io.on('connection', (socket) => {
    socket.use(eventBudget(socket, deps.config.limits, deps.log));
    onConnection(socket).catch((err) => {
      deps.log.error('connection setup failed', { err });
      socket.disconnect(true);
    });
  });
}
