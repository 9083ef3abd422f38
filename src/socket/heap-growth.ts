import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 grows the old space past what its last full collection left live.
 *
 * A join burst leaves every connection's objects in the old space, and V8 then lets the heap grow to up to
 * four times the live size before it collects again: 25–28 KB per connected player at 5,000, of which about
 * 11 KB is live. With a growing factor of 100 % (twice the live size) a socket process holds 18–19 KB per
 * player and its full collections stay as short as before; see docs/capacity.md, "Memory per player: the
 * heap's growing factor".
 *
 * Set at run time because node refuses `--heap-growing-percent` in NODE_OPTIONS, so every launcher (the
 * Procfile, docker-compose, the bench, an api that hosts the sockets) gets it from the setting alone.
 * V8 reads the flag each time it sizes the heap after a collection, so setting it after start is enough.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
