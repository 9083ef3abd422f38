import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../shared/socket-events';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { SocketMetrics } from '../platform/metrics';
import type { AnswerStore } from '../store/answer-store';
import type { EventBus } from '../store/event-bus';
import type { Keys } from '../store/keys';
import type { RoomStore } from '../store/room-store';
import type { ViewReader } from '../store/view-reader';

export type QuizServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type QuizSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RelayDeps {
  config: Pick<Config, 'jwtSecret' | 'limits'>;
  log: Logger;
  keys: Keys;
  rooms: RoomStore;
  answers: AnswerStore;
  views: ViewReader;
  bus: EventBus;
  metrics: SocketMetrics;
}

/** Socket.IO room names: everyone in a game, and each player's own connections. */
export const ioRoom = {
  game: (code: string) => `game:${code}`,
  player: (playerId: string) => `player:${playerId}`,
};
