import { Cluster } from 'ioredis';
import type { Keys } from '../store/keys';
import type { QuizRedis } from '../store/redis';

/**
 * Subscriptions to the channels of the rooms this process holds members of, and no others: the
 * first member of a room subscribes, the last one leaving unsubscribes. On a Redis Cluster they are
 * sharded subscriptions (SSUBSCRIBE), served by the room's own shard; on one Redis plain SUBSCRIBE.
 * `onResubscribed(code)` is called for each held room once its channel is subscribed again after the
 * subscriber reconnected: what was published to it in between is lost.
 */
export function createRoomChannels(subscriber: QuizRedis, keys: Keys, onMessage: (code: string, raw: string) => void, onResubscribed: (code: string) => void) {
  const sharded = subscriber instanceof Cluster;
  /** Room code → its subscription, resolved once Redis confirmed it. */
  const held = new Map<string, Promise<void>>();
  const codeOfChannel = new Map<string, string>();
  const subscribe = (channel: string) => (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));

  subscriber.on(sharded ? 'smessage' : 'message', (channel: string, message: string) => {
    const code = codeOfChannel.get(channel);
    if (code !== undefined) onMessage(code, message);
  });
  // After a reconnect (a Redis restart, a failover). ioredis subscribes again too; this one's reply says when it is done,
  // so a read made after it misses no later change. One that fails waits for the next `ready`.
  subscriber.on('ready', () => {
    for (const code of held.keys()) {
      subscribe(keys.channel(code)).then(
        () => held.has(code) && onResubscribed(code),
        () => undefined,
      );
    }
  });

  return {
    hold(code: string): void {
      if (held.has(code)) return;
      const channel = keys.channel(code);
      codeOfChannel.set(channel, code);
      const subscribing: Promise<void> = subscribe(channel).then(
        () => undefined,
        (err: unknown) => {
          // Forgotten, so that the next `ready` of the room subscribes again (and release, which then finds nothing, need not).
          if (held.get(code) === subscribing) {
            held.delete(code);
            codeOfChannel.delete(channel);
          }
          throw err;
        },
      );
      subscribing.catch(() => undefined);
      held.set(code, subscribing);
    },

    release(code: string): void {
      if (!held.delete(code)) return;
      const channel = keys.channel(code);
      codeOfChannel.delete(channel);
      (sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel)).catch(() => undefined);
    },

    /** Resolves once the room's channel is subscribed: a view read after this misses no later change. */
    async ready(code: string): Promise<void> {
      if (!held.has(code)) this.hold(code);
      await held.get(code);
    },

    /** How many room channels this process listens to. */
    get size(): number {
      return held.size;
    },

    /** How many channels' messages are routed to a room: as many as `size`, or a room's memory outlives it. */
    get routed(): number {
      return codeOfChannel.size;
    },
  };
}
export type RoomChannels = ReturnType<typeof createRoomChannels>;
