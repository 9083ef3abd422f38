/**
 * A child process for heap-growth.test.ts: sets the heap's growing factor as a socket process does, then
 * plays a join burst (many small long-lived objects, as connections leave behind, with garbage that
 * outlives a few young collections around them) and prints how much old space V8 keeps committed against
 * how much of it is live.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { limitHeapGrowth } from '../../src/socket/heap-growth';

limitHeapGrowth(Number(process.argv[2]));
// heap-growth.test.ts starts this with --expose-gc, as the bench's bots are.
const gc = globalThis.gc;
if (!gc) throw new Error('join-burst-heap needs --expose-gc');

const oldSpace = () => {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  if (!space) throw new Error('no old_space in V8 heap statistics');
  return space;
};

const connections: object[] = [];
// What handling a connection leaves behind lives through a few young collections before it dies (handshakes
// and first views in flight), so it dies in the old space: this is what V8 lets pile up to the growth limit.
const inFlight: object[] = new Array(50_000);
for (let i = 0; i < 300_000; i++) {
  // What a connection keeps: a few small objects and strings that live as long as it does.
  connections.push({ id: `socket-${i}`, rooms: new Set([`room-${i % 7}`]), data: { nickname: `player ${i}`, joinedAt: i } });
  for (let j = 0; j < 4; j++) inFlight[(i * 4 + j) % inFlight.length] = { i, j, body: `${'x'.repeat(48)}${i}` };
}
const committedMB = oldSpace().space_size / 2 ** 20;
gc();
const liveMB = oldSpace().space_used_size / 2 ** 20;
// Read after the collection, so the connections and the last in-flight objects count as live in it.
process.stdout.write(`${JSON.stringify({ committedMB, liveMB, connections: connections.length, inFlight: inFlight.length })}\n`);
