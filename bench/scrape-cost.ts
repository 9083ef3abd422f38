/**
 * What one scrape of /metrics costs a process holding many connections: the socket role's registry
 * against the api's (which keeps every default metric), in one process holding N accepted TCP
 * connections (their clients in a child process), scraped alternately.
 * `npx tsx bench/scrape-cost.ts [connections=5000] [scrapes=20]`
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createMetricsRegistry } from '../src/platform/metrics';
import { summary } from './stats';

const connections = Number(process.argv[2] ?? 5000);
const scrapes = Number(process.argv[3] ?? 20);

async function main(): Promise<void> {
  const held: net.Socket[] = [];
  const server = net.createServer((s) => held.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const clients = spawn(
    process.execPath,
    [
      '-e',
      `const net = require('node:net'); let open = 0;
       for (let i = 0; i < ${connections}; i++) net.connect(${port}, '127.0.0.1', () => { if (++open === ${connections}) console.log('ready'); });
       process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => clients.stdout.once('data', () => resolve()));
  while (held.length < connections) await new Promise((resolve) => setTimeout(resolve, 10));

  const registries = { socket: createMetricsRegistry('socket'), api: createMetricsRegistry('api') };
  const times: Record<keyof typeof registries, number[]> = { socket: [], api: [] };
  for (let i = 0; i < scrapes + 3; i++) {
    for (const role of ['socket', 'api'] as const) {
      const from = performance.now();
      await registries[role].metrics();
      if (i >= 3) times[role].push(performance.now() - from);
    }
  }
  for (const role of ['socket', 'api'] as const) {
    const s = summary(times[role]);
    console.log(`${role} role's registry, ${held.length} connections: a scrape takes p50 ${s.p50.toFixed(2)} ms, max ${s.max.toFixed(2)} ms (${s.n} scrapes)`);
  }
  clients.stdin.end();
  for (const s of held) s.destroy();
  server.close();
}

void main();
