import { randomInt } from 'node:crypto';

/** Picks `count` distinct items uniformly at random (partial Fisher–Yates), or null when there are too few. */
export function pickQuestions<T>(candidates: readonly T[], count: number, random: (n: number) => number = randomInt): T[] | null {
  if (candidates.length < count) return null;
  const pool = [...candidates];
  for (let i = 0; i < count; i++) {
    const j = i + random(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}
