import { readFileSync, readdirSync } from 'node:fs';

/** CPU time of a process so far, ns: every thread's time on a CPU (/proc/<pid>/task/<tid>/schedstat, Linux). */
export function cpuNs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return NaN;
  }
  return total;
}

export interface CpuTrace {
  at: number[];
  /** Per sample, the summed CPU time of each group of processes so far, ns. */
  ns: Record<string, number[]>;
}

/**
 * Reads the CPU time of groups of processes (e.g. the bots, the server) every `everyMs`, to tell how
 * busy each was in a stretch of a game: whether the bots' core, not the server, set a figure.
 */
export function traceCpu(groups: Record<string, number[]>, everyMs = 20) {
  const trace: CpuTrace = { at: [], ns: Object.fromEntries(Object.keys(groups).map((g) => [g, []])) };
  const read = () => {
    trace.at.push(Date.now());
    for (const [g, pids] of Object.entries(groups)) trace.ns[g]?.push(pids.reduce((a, pid) => a + cpuNs(pid), 0));
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop(): CpuTrace {
      clearInterval(timer);
      read();
      return trace;
    },
  };
}

/** The share of one core a group used between `from` and `to` (epoch ms), from the samples nearest them. */
export function busyBetween(trace: CpuTrace, group: string, from: number, to: number): number {
  const ns = trace.ns[group];
  if (!ns || to <= from) return NaN;
  const near = (t: number) => {
    let best = 0;
    for (let i = 0; i < trace.at.length; i++) if (Math.abs((trace.at[i] as number) - t) < Math.abs((trace.at[best] as number) - t)) best = i;
    return best;
  };
  const a = near(from);
  const b = near(to);
  const span = (trace.at[b] as number) - (trace.at[a] as number);
  return span > 0 ? ((ns[b] as number) - (ns[a] as number)) / 1e6 / span : NaN;
}
