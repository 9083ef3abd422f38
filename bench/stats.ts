export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, mean, min: s[0] ?? NaN, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

const TICK_MS = 2000;

/**
 * How late a question's countdown frame arrived after its tick's due instant (phase start + 2 s × tick,
 * the tick named in the frame, so a late frame is never counted as the next one's), ms; null for a tick 0
 * (only a worker from before 2026-12-06 draws one, with the opening), a frame without its tick (a worker older than the field)
 * and other phases. Bench and servers share one clock.
 */
export function countdownLateness(m: { phase: string; deadlineAt: number; tick?: number }, questionSeconds: number, arrival = Date.now()): number | null {
  if (m.phase !== 'question' || m.tick === undefined || m.tick < 1) return null;
  const start = m.deadlineAt - questionSeconds * 1000;
  return arrival - (start + m.tick * TICK_MS);
}
