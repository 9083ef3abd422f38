import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/client';

declare global {
  /** The Socket.IO browser client, loaded as a classic script from /vendor/socket.io.min.js. */
  interface Window {
    io?: (url: string, options?: Partial<ManagerOptions & SocketOptions>) => Socket<ServerToClientEvents, ClientToServerEvents>;
  }
}
