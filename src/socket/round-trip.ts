import { performance } from 'node:perf_hooks';
import type { QuizSocket } from './types';

/** Recent samples kept; the smallest is the estimate, so one pong delayed by a busy event loop does not count. */
const SAMPLES = 4;

/**
 * Measures a connection's round trip from Engine.IO heartbeats (the server's ping to the client's
 * pong), with no extra traffic. Returns a reader: null until the first heartbeat has come back.
 * A client can only make it look larger by answering pings late, which the allowance's cap bounds.
 */
export function trackRoundTrip(socket: QuizSocket): () => number | null {
  let pingAt: number | null = null;
  const samples: number[] = [];
  socket.conn.on('packetCreate', (packet: { type: string }) => {
    if (packet.type === 'ping') pingAt = performance.now();
  });
  socket.conn.on('packet', (packet: { type: string }) => {
    if (packet.type !== 'pong' || pingAt === null) return;
    samples.push(performance.now() - pingAt);
    if (samples.length > SAMPLES) samples.shift();
    pingAt = null;
  });
  return () => (samples.length ? Math.min(...samples) : null);
}
