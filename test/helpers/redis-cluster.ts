import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { testPort } from './ports';
import { sleep, waitUntil } from './infra';

const run = promisify(execFile);

/** A one-off connection to one node that gives up at once (its errors are the caller's to see). */
function probeOf(port: number): Redis {
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  return probe;
}
const SLOTS = 16384;

interface Binary {
  path: string;
  env: Record<string, string>;
}

interface Node {
  port: number;
  /** The cluster bus port, chosen like the port (Redis's default, port + 10,000, may be taken or past 65535). */
  busPort: number;
  dir: string;
  child: ChildProcess | null;
}

/**
 * A local Redis Cluster of `masters` redis-server processes (no replicas), made with
 * `redis-cli --cluster create`. Each node keeps an append-only file synced on every write, so a
 * node killed and started again comes back with its data and its slots.
 */
export class LocalRedisCluster {
  private constructor(
    private readonly binary: Binary,
    private readonly nodes: Node[],
    private readonly root: string,
  ) {}

  /** `binary`: the redis-server to run (test setup's `inject('redisServer')`); redis-cli is taken from beside it. */
  static async start(binary: Binary, masters = 3): Promise<LocalRedisCluster> {
    const cli = path.join(path.dirname(binary.path), 'redis-cli');
    if (!existsSync(cli)) throw new Error(`redis-cli is not beside ${binary.path}; a cluster cannot be created`);
    const root = mkdtempSync(path.join(os.tmpdir(), 'quizloop-cluster-'));
    const nodes: Node[] = [];
    for (let i = 0; i < masters; i++) {
      const dir = path.join(root, `node-${i}`);
      mkdirSync(dir);
      nodes.push({ port: await testPort(), busPort: await testPort(), dir, child: null });
    }
    const cluster = new LocalRedisCluster(binary, nodes, root);
    try {
      await Promise.all(nodes.map((_, i) => cluster.startNode(i)));
      await run(cli, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
        env: { ...process.env, ...binary.env },
      });
      await cluster.waitHealthy();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** `host:port,…`, as REDIS_CLUSTER_NODES takes it. */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** The node (index) serving the slot of `key`: the master a room's keys live on, say. */
  async nodeOf(key: string): Promise<number> {
    const first = this.nodes[0];
    if (!first) throw new Error('no nodes');
    const probe = probeOf(first.port);
    try {
      await probe.connect();
      const slot = (await probe.call('CLUSTER', 'KEYSLOT', key)) as number;
      const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]]][];
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      const index = this.nodes.findIndex((n) => n.port === owner?.[2][1]);
      if (index < 0) throw new Error(`no node serves slot ${slot} of ${key}`);
      return index;
    } finally {
      probe.disconnect();
    }
  }

  /** Kills a node (SIGKILL), leaves it down for `downMs`, and starts it again on the same port with its data. */
  async restartNode(index: number, downMs: number): Promise<void> {
    const node = this.nodes[index];
    if (!node?.child) throw new Error(`node ${index} is not running`);
    const exited = new Promise((resolve) => node.child?.once('exit', resolve));
    node.child.kill('SIGKILL');
    await exited;
    node.child = null;
    await sleep(downMs);
    await this.startNode(index);
    await this.waitHealthy();
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (!n.child) return;
        const exited = new Promise((resolve) => n.child?.once('exit', resolve));
        n.child.kill('SIGKILL');
        await exited;
        n.child = null;
      }),
    );
    rmSync(this.root, { recursive: true, force: true });
  }

  private async startNode(index: number): Promise<void> {
    const node = this.nodes[index];
    if (!node) throw new Error(`no node ${index}`);
    const args = [
      '--port',
      String(node.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      node.dir,
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(node.busPort),
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--hz',
      '100',
    ];
    const child = spawn(this.binary.path, args, { stdio: 'ignore', env: { ...process.env, ...this.binary.env } });
    node.child = child;
    process.once('exit', () => child.kill('SIGKILL'));
    await waitUntil(
      `redis node ${index} to answer`,
      async () => {
        const probe = probeOf(node.port);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } finally {
          probe.disconnect();
        }
      },
      15_000,
      50,
    );
  }

  /** Every node says the cluster is ok and every slot is served. */
  private async waitHealthy(): Promise<void> {
    await waitUntil(
      'the cluster to be healthy',
      async () => {
        for (const node of this.nodes) {
          const probe = probeOf(node.port);
          try {
            await probe.connect();
            const info = (await probe.call('CLUSTER', 'INFO')) as string;
            if (!info.includes('cluster_state:ok') || !info.includes(`cluster_slots_ok:${SLOTS}`)) return undefined;
          } finally {
            probe.disconnect();
          }
        }
        return true;
      },
      30_000,
      100,
    );
  }
}
