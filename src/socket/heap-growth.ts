import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 grows the old space past what its last full collection left live.
 *
 * A join burst leaves every connection's objects in the old space, and V8 then lets the heap grow to up to
 * four times the live size before it collects again: 25–30 KB per connected player at 5,000, of which about
 * 11 KB is live, and the heap keeps growing through a game. With a growing factor of 100 % (twice the live
 * size) a socket process holds 18.6–19.8 KB per player once they have joined and 34–35 KB after a 96-s game
 * (59–60 KB without). The price is a full collection in most games, whose marking can stall a loop that shares
 * its core with V8's threads; see docs/capacity.md, "Memory per player: the heap's growing factor".
 *
 * Set at run time because node refuses `--heap-growing-percent` in NODE_OPTIONS, so every launcher (the
 * Procfile, docker-compose, the bench, an api that hosts the sockets) gets it from the setting alone.
 * V8 reads the flag each time it sizes the heap after a collection, so setting it after start is enough.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
