import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { METRICS_PREFIX } from '../src/platform/metrics';
import { ALL_SCRIPTS } from '../src/store/scripts/all-scripts';
import { cpuNs } from './cpu-trace';

/** What the socket processes' /metrics say, summed over the processes (the stall: the longest). */
export interface SocketReading {
  cpuSeconds: number;
  rssBytes: number;
  /** The longest event-loop delay since the previous scrape (prom-client resets it on every scrape), ms. */
  stallMs: number;
  connected: number;
  /** V8's young generation (new space) and old space, bytes reserved: what the heap grew to, garbage included. */
  newSpaceBytes: number;
  oldSpaceBytes: number;
  /** Garbage collections so far (prom-client's GC histogram): scavenges (minor) and mark-compacts (major), count and seconds. */
  gc: Record<'minor' | 'major', { count: number; seconds: number }>;
}

/** A series' value; with `label` (e.g. `space="new"`), the series that carries it. */
function gauge(text: string, name: string, label?: string): number {
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${METRICS_PREFIX}${name}{`) || l.startsWith(`${METRICS_PREFIX}${name} `)) && (!label || l.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

export async function readSockets(socketUrls: string[]): Promise<SocketReading> {
  const texts = await Promise.all(socketUrls.map((url) => fetch(`${url}/metrics`).then((r) => r.text())));
  const sum = (name: string, label?: string) => texts.reduce((total, text) => total + gauge(text, name, label), 0);
  // No series before a process's first collection of that kind.
  const gcSum = (name: string, kind: string) => texts.reduce((total, text) => total + (gauge(text, name, `kind="${kind}"`) || 0), 0);
  const gc = (kind: string) => ({ count: gcSum('nodejs_gc_duration_seconds_count', kind), seconds: gcSum('nodejs_gc_duration_seconds_sum', kind) });
  return {
    cpuSeconds: sum('process_cpu_seconds_total'),
    rssBytes: sum('process_resident_memory_bytes'),
    stallMs: Math.max(...texts.map((text) => gauge(text, 'nodejs_eventloop_lag_max_seconds') * 1000)),
    connected: sum('connected_sockets'),
    newSpaceBytes: sum('nodejs_heap_space_size_total_bytes', 'space="new"'),
    oldSpaceBytes: sum('nodejs_heap_space_size_total_bytes', 'space="old"'),
    gc: { minor: gc('minor'), major: gc('major') },
  };
}

/**
 * The socket processes' own answer-ack times (arrival in the handler → ack called, `answer_ack_seconds`),
 * as the upper bounds of the histogram buckets holding the p50 and the p99, ms: what the server spent,
 * apart from the wire, the kernel's buffers and the bots.
 */
export async function readServerAcks(socketUrls: string[]): Promise<{ p50: number; p99: number }> {
  const texts = await Promise.all(socketUrls.map((url) => fetch(`${url}/metrics`).then((r) => r.text())));
  const counts = new Map<number, number>();
  const name = `${METRICS_PREFIX}answer_ack_seconds_bucket{`;
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (!line.startsWith(name) || !line.includes('outcome="ok"') || le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    counts.set(bound, (counts.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  const bounds = [...counts.keys()].sort((a, b) => a - b);
  const total = counts.get(Infinity) ?? 0;
  const at = (p: number) => (bounds.find((b) => (counts.get(b) ?? 0) >= p * total) ?? NaN) * 1000;
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * A full garbage collection that also gives unused heap back (DevTools' "collect garbage"), in a node
 * process started with `--inspect=127.0.0.1:port`; resolves half a second after it, so that the
 * memory it gave back is out of the process's RSS.
 */
export async function collectGarbage(port: number): Promise<void> {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const done = new Promise((resolve) => {
    ws.onmessage = resolve;
  });
  ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
  await done;
  ws.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Redis's own CPU time (user + system), s, and commands processed so far. */
export async function readRedis(redis: Redis): Promise<{ cpuSeconds: number; commands: number }> {
  const info = await redis.info();
  const field = (name: string) => Number(/^(\S+):(.*)$/m.exec(info.split('\n').find((l) => l.startsWith(`${name}:`)) ?? '')?.[2] ?? NaN);
  return { cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), commands: field('total_commands_processed') };
}

/** Redis's own time per command since the last `CONFIG RESETSTAT` (`INFO commandstats`), the costliest first. */
export async function readCommandStats(redis: Redis, top = 6): Promise<string> {
  const info = await redis.info('commandstats');
  const rows = [...info.matchAll(/^cmdstat_(\S+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/gm)].map((m) => ({
    name: m[1],
    calls: Number(m[2]),
    usec: Number(m[3]),
    perCall: Number(m[4]),
  }));
  return rows
    .sort((a, b) => b.usec - a.usec)
    .slice(0, top)
    .map((r) => `${r.name} ${r.calls} × ${r.perCall.toFixed(1)} µs = ${(r.usec / 1000).toFixed(0)} ms`)
    .join(', ');
}

/** Starts Redis's slow log afresh, keeping every call of 1 ms or more (the bench's own Redis). */
export async function startSlowLog(redis: Redis): Promise<void> {
  await redis.config('SET', 'slowlog-log-slower-than', '1000', 'slowlog-max-len', '10000');
  await redis.slowlog('RESET');
}

/**
 * The calls of 1 ms or more since startSlowLog, per script (by its name) or command: how many, and the longest. Redis
 * runs one call at a time, so the longest is how long every other client, in every room, waited behind it.
 */
export async function readSlowLog(redis: Redis): Promise<string> {
  const names = new Map(ALL_SCRIPTS.map((s) => [createHash('sha1').update(s.lua).digest('hex'), s.command]));
  const entries = (await redis.slowlog('GET', -1)) as [number, number, number, string[]][];
  const by = new Map<string, { calls: number; maxUs: number }>();
  for (const [, , us, args] of entries) {
    const [command = '', sha = ''] = args;
    const name = command.toLowerCase() === 'evalsha' ? (names.get(sha) ?? 'evalsha') : command.toLowerCase();
    const row = by.get(name) ?? { calls: 0, maxUs: 0 };
    by.set(name, { calls: row.calls + 1, maxUs: Math.max(row.maxUs, us) });
  }
  return (
    [...by]
      .sort((a, b) => b[1].maxUs - a[1].maxUs)
      .map(([name, r]) => `${name} ${r.calls} (longest ${(r.maxUs / 1000).toFixed(1)} ms)`)
      .join(', ') || 'none'
  );
}

export interface Sample {
  at: number;
  socketCpu: number;
  redisCpu: number;
}

/**
 * Reads the CPU time of the socket processes (from /proc, which costs them nothing) and of Redis every
 * `everyMs` until stopped, to charge each stretch of a game its own cost, and the longest stall over all
 * of it from their /metrics. A scrape of /metrics stalled a socket process for ~15 ms at 5,000
 * connections while it listed every handle (the socket role leaves those metrics out now: bench/scrape-cost.ts), so it is scraped only at the end unless `scrapeEveryMs`
 * asks for more (the bench scraped every 500 ms before; the stall is the longest since the last scrape).
 */
export function startSampler(socketUrls: string[], socketPids: number[], redisUrl: string, { everyMs = 500, scrapeEveryMs = 0 } = {}) {
  const redis = new Redis(redisUrl);
  const samples: Sample[] = [];
  let stallMs = 0;
  let running = true;
  let scrapedAt = Date.now();
  const scrape = async () => {
    stallMs = Math.max(stallMs, (await readSockets(socketUrls)).stallMs);
    scrapedAt = Date.now();
  };
  const loop = (async () => {
    while (running) {
      const r = await readRedis(redis);
      samples.push({ at: Date.now(), socketCpu: socketPids.reduce((a, pid) => a + cpuNs(pid), 0) / 1e9, redisCpu: r.cpuSeconds });
      if (scrapeEveryMs > 0 && Date.now() - scrapedAt >= scrapeEveryMs) await scrape();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    async stop(): Promise<{ samples: Sample[]; stallMs: number }> {
      running = false;
      await loop;
      await scrape();
      redis.disconnect();
      return { samples, stallMs };
    },
  };
}

/** CPU seconds spent between `from` and `to`, interpolated between samples. */
export function cpuBetween(samples: Sample[], pick: (s: Sample) => number, from: number, to: number): number {
  const at = (t: number) => {
    const after = samples.findIndex((s) => s.at >= t);
    if (after <= 0) return pick(samples[after < 0 ? samples.length - 1 : 0] as Sample);
    const a = samples[after - 1] as Sample;
    const b = samples[after] as Sample;
    return pick(a) + ((pick(b) - pick(a)) * (t - a.at)) / (b.at - a.at);
  };
  return at(to) - at(from);
}

/**
 * Waits until the socket processes use less than `share` of a core over half a second (at most
 * `maxMs`); resolves with the longest stall its scrapes saw (each scrape resets it).
 */
export async function quiet(socketUrls: string[], share = 0.15, maxMs = 60_000): Promise<number> {
  const until = Date.now() + maxMs;
  let last = await readSockets(socketUrls);
  let stallMs = last.stallMs;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await readSockets(socketUrls);
    stallMs = Math.max(stallMs, now.stallMs);
    if (now.cpuSeconds - last.cpuSeconds < share * 0.5) break;
    last = now;
  }
  return stallMs;
}
