import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../platform/logger';
import { ALL_SCRIPTS } from './scripts/all-scripts';
import type { ScriptCommands } from './scripts/define-script';

/**
 * A Redis client, or a Redis Cluster client, with quizloop's Lua scripts loaded as commands (EVALSHA,
 * falling back to EVAL). Run them through their typed definitions (`script.run(redis, keys, args)`).
 */
export type QuizRedis = (Redis | Cluster) & ScriptCommands;

/**
 * `blocking` clients (BullMQ workers, stream readers) must retry commands forever rather than
 * fail them during a Redis restart; BullMQ insists on `maxRetriesPerRequest: null` for them.
 * A `rediss://` URL connects over TLS; `rejectUnauthorized: false` accepts a self-signed server.
 * Connection errors go to `log` (stderr without one), once per outage rather than once per retry.
 */
export function createRedis(
  url: string,
  opts: {
    name: string;
    blocking?: boolean;
    rejectUnauthorized?: boolean;
    cluster?: ClusterNode[] | null;
    subscriber?: boolean;
    autoPipeline?: boolean;
    log?: Logger;
  },
): QuizRedis {
  // Commands issued in one turn of the event loop go out as one write (and one read of the replies).
  const batching = opts.autoPipeline ? { enableAutoPipelining: true } : {};
  const options = {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.blocking ? null : 3,
    enableReadyCheck: true,
    ...(url.startsWith('rediss://') ? { tls: { rejectUnauthorized: opts.rejectUnauthorized ?? true } } : {}),
  };
  const redis = opts.cluster
    ? new Cluster(opts.cluster, {
        redisOptions: options,
        ...batching,
        // A master restarting: wait for its slots to be served again rather than fail the command at once.
        retryDelayOnClusterDown: 200,
        retryDelayOnTryAgain: 100,
        // BullMQ and the stream readers retry forever (as on one Redis); others fail after a few tries.
        ...(opts.blocking ? { maxRedirections: 64 } : {}),
        // Subscribers hold one connection per shard for SSUBSCRIBE (sharded pub/sub).
        ...(opts.subscriber ? { shardedSubscribers: true } : {}),
      })
    : new Redis(url, { ...options, ...batching });
  for (const script of ALL_SCRIPTS) redis.defineCommand(script.command, { lua: script.lua });
  reportConnectionErrors(redis, opts.name, opts.log);
  return redis as QuizRedis;
}

/** ioredis retries by itself; without an `error` listener it would print every failed retry's stack. */
function reportConnectionErrors(redis: Redis | Cluster, name: string, log: Logger | undefined): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    if (log) log.warn('Redis connection lost; retrying', { client: name, err: err.message });
    else process.stderr.write(`${name}: Redis connection lost (${err.message}); retrying\n`);
  });
  redis.on('ready', () => {
    if (down) log?.info('Redis connection back', { client: name });
    down = false;
  });
}

export interface ClusterNode {
  host: string;
  port: number;
}

/** Where every role finds Redis: one server (`REDIS_URL`) or a cluster (`REDIS_CLUSTER_NODES`). */
export interface RedisTarget {
  redisUrl: string;
  redisClusterNodes: ClusterNode[] | null;
  redisTlsRejectUnauthorized: boolean;
}

/**
 * A client of the configured Redis (or cluster). `subscriber`: for SUBSCRIBE/SSUBSCRIBE only. `autoPipeline`:
 * commands wait for the end of the loop's turn and leave together, so their order against explicit MULTIs and
 * pipelines on the same client is not kept; only for clients whose commands need no such order.
 */
export function connectRedis(
  target: RedisTarget,
  name: string,
  opts: { blocking?: boolean; subscriber?: boolean; autoPipeline?: boolean; log?: Logger } = {},
): QuizRedis {
  return createRedis(target.redisUrl, { name, ...opts, rejectUnauthorized: target.redisTlsRejectUnauthorized, cluster: target.redisClusterNodes });
}

/** How a room's channel is published to: sharded pub/sub on a cluster (only the shard's nodes carry it), else plain. */
export function publishCommand(redis: Redis | Cluster): 'PUBLISH' | 'SPUBLISH' {
  return redis instanceof Cluster ? 'SPUBLISH' : 'PUBLISH';
}

/** The servers behind a client: each master of a cluster, or the one server. */
export function serversOf(redis: Redis | Cluster): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * BullMQ delayed jobs fire only as punctually as Redis's `hz` allows (about 100 ms late at the
 * default 10). Raise it where the server permits; managed services often refuse CONFIG.
 */
export async function tuneRedisHz(redis: Redis | Cluster, hz: number): Promise<'set' | 'kept' | 'refused'> {
  if (hz <= 0) return 'kept';
  try {
    let outcome: 'set' | 'kept' = 'kept';
    for (const server of serversOf(redis)) {
      const current = (await server.config('GET', 'hz')) as string[];
      if (Number(current[1]) >= hz) continue;
      await server.config('SET', 'hz', String(hz));
      outcome = 'set';
    }
    return outcome;
  } catch {
    return 'refused';
  }
}
