import type { IncomingMessage } from 'node:http';

interface EngineConnection {
  request: IncomingMessage | null;
  readyState: string;
  once(event: 'close', listener: () => void): unknown;
}

interface Engine {
  on(event: 'connection', listener: (raw: EngineConnection) => void): unknown;
  on(event: 'connection_error', listener: (err: { req: IncomingMessage }) => void): unknown;
}

/** A handshake counted but not yet a connection: `claim` hands its count over to the connection, `drop` gives it back. */
interface Pending {
  claim(): () => void;
  drop(): void;
}

/**
 * Bounds the Engine.IO connections one client address holds open on this process, whether or not
 * they ever join (a handshake that never sends CONNECT still holds a session until `connectTimeout`).
 * `admit` counts a handshake in `allowRequest`; the count goes with the connection and is given back
 * when it closes, or when the handshake fails after `allowRequest` (Engine.IO's `connection_error`,
 * or the TCP socket closing first, as when `ws` turns the upgrade down). Each count is given back once.
 */
export function createConnectionCap({ max, addressOf }: { max: number; addressOf: (req: IncomingMessage) => string }) {
  const open = new Map<string, number>();
  const pending = new WeakMap<IncomingMessage, Pending>();

  /** Counts one connection of `address`; the function returned gives it back, once. */
  function hold(address: string): () => void {
    open.set(address, (open.get(address) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
  }

  return {
    /** The message a refused client gets (the body of the 403, or of the 400 to a WebSocket upgrade). */
    refusal: `Too many connections from your address: at most ${max} at once (SOCKET_CONNECTIONS_PER_ADDRESS). Close some, or try again later.`,

    /** For `allowRequest`, after the other checks: whether this handshake may open one more connection, counted if so. */
    admit(req: IncomingMessage): boolean {
      const tcp = req.socket;
      // A socket already gone would never say so again: nobody is left to answer.
      if (tcp.destroyed) return false;
      const address = addressOf(req);
      if ((open.get(address) ?? 0) >= max) return false;
      const letGo = hold(address);
      const settle = () => {
        pending.delete(req);
        tcp.removeListener('close', onClose);
      };
      const onClose = () => {
        settle();
        letGo();
      };
      // Removed once the handshake settles: a keep-alive socket carries many polling handshakes.
      tcp.once('close', onClose);
      pending.set(req, {
        claim: () => {
          settle();
          return letGo;
        },
        drop: onClose,
      });
      return true;
    },

    /** Hands counts over to connections. Register before anything that clears a connection's `request` (releaseUpgradeRequests). */
    watch(engine: Engine): void {
      engine.on('connection', (raw) => {
        const handshake = raw.request ? pending.get(raw.request) : undefined;
        if (!handshake) return;
        const letGo = handshake.claim();
        if (raw.readyState === 'closed') letGo();
        else raw.once('close', letGo);
      });
      engine.on('connection_error', ({ req }) => pending.get(req)?.drop());
    },
  };
}
