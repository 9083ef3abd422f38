export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, mean, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

const TICK_MS = 2000;

/**
 * Numbers one player's countdown frames of each question: frames reach a connection in order and the
 * first (tick 0) comes with the opening, so the k-th is tick k, however late. (Rounding the arrival to
 * the nearest due instant would take a frame more than a second late for the next tick's, early.)
 */
export function tickCounter(): (m: { phase: string; questionIndex: number }) => number {
  let question = -1;
  let n = -1;
  return (m) => {
    if (m.phase !== 'question') return -1;
    n = m.questionIndex === question ? n + 1 : 0;
    question = m.questionIndex;
    return n;
  };
}

/**
 * How late tick `n` of a question arrived after its due instant (phase start + 2 s × n), ms; null for
 * tick 0 (set off by the phase's event) and other phases. Bench and servers share one clock.
 */
export function countdownLateness(m: { phase: string; deadlineAt: number }, questionSeconds: number, n: number, arrival = Date.now()): number | null {
  if (m.phase !== 'question' || n < 1) return null;
  const start = m.deadlineAt - questionSeconds * 1000;
  return arrival - (start + n * TICK_MS);
}
