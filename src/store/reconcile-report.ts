import type { Cluster, Redis } from 'ioredis';
import type { Keys } from './keys';

/** What the reconciler's last pass found; any worker's /metrics reads it, whichever worker ran the pass. */
export interface ReconcileReport {
  at: number;
  /** Rooms past their deadline plus the grace, building past the limit, or idle past the idle time plus the grace, when the pass looked. */
  stuckRooms: number;
  redriven: number;
  failedBuilding: number;
  /** Lobbies and paused games idle past ROOM_IDLE_SECONDS plus the grace that the pass ended. */
  endedIdle: number;
  abandoned: number;
  resultsRequeued: number;
  /** False when the bounded SCAN stopped before the end of the keyspace. */
  complete: boolean;
}

export function createReconcileReports({ redis, keys }: { redis: Redis | Cluster; keys: Keys }) {
  const key = keys.reconcileReport;
  return {
    async write(report: ReconcileReport): Promise<void> {
      await redis.set(key, JSON.stringify(report), 'EX', 3600);
    },
    async read(): Promise<ReconcileReport | null> {
      const raw = await redis.get(key);
      return raw ? (JSON.parse(raw) as ReconcileReport) : null;
    },
  };
}
export type ReconcileReports = ReturnType<typeof createReconcileReports>;
