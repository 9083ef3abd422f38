import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../shared/socket-events';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { SocketMetrics } from '../platform/metrics';
import type { AnswerStore } from '../store/answer-store';
import type { Keys } from '../store/keys';
import type { RedisClock } from '../store/redis-clock';
import type { RoomRecords } from '../store/room-records';
import type { RoomStore } from '../store/room-store';
import type { ViewReader } from '../store/view-reader';
import type { ConnectBudget } from './connect-budget';

export type QuizServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type QuizSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RelayDeps {
  config: Pick<
    Config,
    'jwtSecret' | 'timing' | 'limits' | 'viewWaitMs' | 'fanoutSlice' | 'fanoutAnswerWaitMs' | 'refreshMinMs' | 'refreshMsPer1000' | 'lostRoomCheckMs'
  >;
  log: Logger;
  keys: Keys;
  rooms: RoomStore;
  /**
   * The reads that admit a connection and answer a sync, on a connection of their own that batches the
   * commands of one turn into one write: thousands of players connecting cost a few writes, not one each.
   */
  reads: Pick<RoomStore, 'get' | 'isKicked' | 'getPlayer' | 'hostTokenVersion'>;
  /** SOCKET_CONNECTS_PER_PLAYER, spent by every handshake with a valid token before the room is read. */
  connects: ConnectBudget;
  answers: AnswerStore;
  /** Whether rooms' records still exist: on the reads' connection, so one check of every held room is one write. */
  records: RoomRecords;
  views: ViewReader;
  metrics: SocketMetrics;
  /** Redis's clock, read locally: answers and question sends are stamped with it. */
  clock: RedisClock;
}

/** Socket.IO room names: everyone in a game, and each player's own connections. */
export const ioRoom = {
  game: (code: string) => `game:${code}`,
  /** The room code of a game room's name, or null for any other room (a player's, a socket's own). */
  codeOfGame: (room: string) => (room.startsWith('game:') ? room.slice('game:'.length) : null),
  player: (playerId: string) => `player:${playerId}`,
};
