import type { Redis } from 'ioredis';
import { authMiddleware } from './auth.middleware';
import { connectionHandler } from './connection.handler';
import { eventBudget } from './event-budget';
import { createRoomRelay } from './room-relay';
import type { QuizServer, RelayDeps } from './types';

/**
 * Attaches quizloop to a Socket.IO server: admission, per-connection handlers, and the
 * subscription to room channels through which the api and the worker reach the players.
 */
export async function createRelay(io: QuizServer, subscriber: Redis, deps: RelayDeps): Promise<void> {
  io.use(authMiddleware(deps));
  const relay = createRoomRelay(io, deps);
  const onConnection = connectionHandler(io, deps, relay);
  io.on('connection', (socket) => {
    socket.use(eventBudget(socket, deps.config.limits, deps.log));
    onConnection(socket).catch((err) => {
      deps.log.error('connection setup failed', { err });
      socket.disconnect(true);
    });
  });

  const prefix = deps.keys.channelPattern.slice(0, -1);
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    relay.onChannelMessage(channel.slice(prefix.length), message);
  });
  await subscriber.psubscribe(deps.keys.channelPattern);
}
