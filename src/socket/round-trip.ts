import { performance } from 'node:perf_hooks';

/** Recent samples kept; the smallest is the estimate, so one pong delayed by a busy event loop does not count. */
const SAMPLES = 4;

/** One connection's heartbeats: when its last ping left, and its latest round trips (ms), oldest first. */
class Heartbeats {
  pingAt: number | null = null;
  readonly samples: number[] = [];
}

/** An Engine.IO connection, as far as heartbeats go: its packets out (`packetCreate`) and in (`packet`). */
export interface HeartbeatConnection {
  on(event: 'packetCreate', listener: (this: HeartbeatConnection, packet: { type: string }) => void): unknown;
}

/**
 * Measures connections' round trips from Engine.IO heartbeats (the server's ping to the client's pong),
 * with no extra traffic. The listeners are the same two functions for every connection (`this` is the
 * connection) and a connection's samples exist from its first ping: thousands of connections hold no
 * closures for it. A client can only make its round trip look larger by answering pings late, which the
 * allowance's cap bounds.
 */
export function createRoundTrips() {
  const byConnection = new WeakMap<object, Heartbeats>();
  function onPacketCreate(this: HeartbeatConnection, packet: { type: string }): void {
    if (packet.type !== 'ping') return;
    let beats = byConnection.get(this);
    if (!beats) {
      beats = new Heartbeats();
      byConnection.set(this, beats);
    }
    beats.pingAt = performance.now();
  }
  return {
    /** Starts timing the connection's pings; its pongs come through `onPacket`. */
    track(conn: HeartbeatConnection): void {
      conn.on('packetCreate', onPacketCreate);
    },
    /** A packet the connection received: a pong completes a round trip. */
    onPacket(conn: object, packet: { type: string }): void {
      if (packet.type !== 'pong') return;
      const beats = byConnection.get(conn);
      if (!beats || beats.pingAt === null) return;
      beats.samples.push(performance.now() - beats.pingAt);
      if (beats.samples.length > SAMPLES) beats.samples.shift();
      beats.pingAt = null;
    },
    /** The connection's round trip, ms: null until its first heartbeat has come back. */
    of(conn: object): number | null {
      const samples = byConnection.get(conn)?.samples;
      return samples?.length ? Math.min(...samples) : null;
    },
  };
}
export type RoundTrips = ReturnType<typeof createRoundTrips>;
