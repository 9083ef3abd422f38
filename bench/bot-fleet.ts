import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { emptyReport } from './bot-report';
import type { BotReport, BotTarget, JoinOrder } from './bots';
import { CORES, spawnNode, stopProcess } from './harness';

const BOTS = path.join(__dirname, 'bots.ts');

export interface FleetOptions {
  target: BotTarget;
  players: number;
  /** Bot processes (the players are shared out evenly). */
  processes: number;
  questions: number;
  questionSeconds: number;
  burst: number[];
  burstMs: number;
  /** Joins and connections in flight at once, per process. */
  width?: number;
}

/** Waits for one message of `type` from a child process of the bench (a bot process, the rooms' players). */
export function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a bot process exited (${code}) before its ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Bot processes on the bots' core (bots.ts), so that the players' own work never slows the server
 * under test, which has the other core. `join` resolves once every player is connected and has its
 * first view; `finished` once every player has the `finished` view (or `timeoutMs` has passed).
 */
export async function startFleet(o: FleetOptions) {
  // E.g. a young generation of a fixed size, so that the bots' own scavenges time the same in every run.
  const nodeArgs = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // `--expose-gc`: each bot process collects its garbage once joined, so that what the joins left (quizloop's bots fetch
  // tokens and get many lobby views; the raw bots do neither) is not collected by a mark-compact in the game, in some fan-out.
  const children = Array.from({ length: o.processes }, () =>
    spawnNode(['--expose-gc', ...nodeArgs, '--import', 'tsx', BOTS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }, CORES.bots),
  );
  const finished = Promise.all(children.map((child) => reply(child, 'finished')));
  finished.catch(() => undefined);
  return {
    /** The bot processes' ids (for their CPU time). */
    pids: children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    async join(): Promise<void> {
      let first = 0;
      const joined = children.map((child, k) => {
        const players = Math.floor(o.players / o.processes) + (k < o.players % o.processes ? 1 : 0);
        const order: JoinOrder = {
          type: 'join',
          target: o.target,
          first,
          players,
          width: o.width ?? 50,
          questions: o.questions,
          questionSeconds: o.questionSeconds,
          burst: o.burst,
          burstMs: o.burstMs,
        };
        first += players;
        child.send(order);
        return reply(child, 'joined');
      });
      await Promise.all(joined);
    },
    /** True when every player got the `finished` view in time. */
    finished(timeoutMs: number): Promise<boolean> {
      return Promise.race([finished.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
    },
    async report(): Promise<BotReport> {
      const reports = await Promise.all(
        children.map((child) => {
          const r = reply<{ report: BotReport }>(child, 'report');
          child.send({ type: 'report' });
          return r;
        }),
      );
      return mergeReports(reports.map((r) => r.report));
    },
    async close(): Promise<void> {
      for (const child of children) if (child.connected) child.send({ type: 'close' });
      await Promise.all(children.map((child) => stopProcess(child, 3000)));
    },
  };
}

function mergeCounts(into: Record<number, number>, from: Record<number, number>, pick: (a: number, b: number) => number): void {
  for (const [k, v] of Object.entries(from)) {
    const key = Number(k);
    into[key] = into[key] === undefined ? v : pick(into[key], v);
  }
}

export function mergeReports(reports: BotReport[]): BotReport {
  const sum = (a: number, b: number) => a + b;
  const out: BotReport = emptyReport();
  for (const r of reports) {
    out.joinFailures += r.joinFailures;
    out.ackErrors += r.ackErrors;
    out.complete += r.complete;
    out.disconnects += r.disconnects;
    out.loopDelayMaxMs = Math.max(out.loopDelayMaxMs, r.loopDelayMaxMs);
    out.connectMs.push(...r.connectMs);
    out.lateness.push(...r.lateness);
    out.ackMs.push(...r.ackMs);
    out.ackUpMs.push(...r.ackUpMs);
    out.ackDownMs.push(...r.ackDownMs);
    out.ackBotBusyMs.push(...r.ackBotBusyMs);
    out.finishedArrivals.push(...r.finishedArrivals);
    out.finishedBytes = Math.max(out.finishedBytes, r.finishedBytes);
    out.questionBytes = Math.max(out.questionBytes, r.questionBytes);
    for (const [k, v] of Object.entries(r.questionArrivals)) out.questionArrivals[Number(k)] = [...(out.questionArrivals[Number(k)] ?? []), ...v];
    for (const [k, v] of Object.entries(r.questionWritten)) out.questionWritten[Number(k)] = [...(out.questionWritten[Number(k)] ?? []), ...v];
    mergeCounts(out.opens, r.opens, Math.min);
    mergeCounts(out.revealEnds, r.revealEnds, Math.max);
    mergeCounts(out.answers, r.answers, sum);
    for (const [k, v] of Object.entries(r.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
    mergeCounts(out.messages, r.messages, sum);
  }
  return out;
}
