import { ErrorCode } from '../shared/error-codes';
import { within } from './within';

/** A dependency check: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  /** Per dependency: 'ok', or what went wrong. */
  checks: Record<string, string>;
}

/** Short: a load balancer or orchestrator asks often, and a slow answer is as bad as none. */
export const READINESS_TIMEOUT_MS = 1000;

function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  const answer = check().then(
    () => 'ok',
    (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'failed',
  );
  return within(answer, timeoutMs, `no answer within ${timeoutMs} ms`);
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => withTimeout(checks[name] as ReadinessCheck, timeoutMs)));
  const byName = Object.fromEntries(names.map((name, i) => [name, results[i] ?? 'failed']));
  return { ready: results.every((r) => r === 'ok'), checks: byName };
}

/** 200 `{status:'ready', checks}`, or 503 problem details naming what failed. */
export function readinessResponse({ ready, checks }: Readiness, instance = '/ready') {
  if (ready) return { status: 200, contentType: 'application/json', body: { status: 'ready', checks } };
  const failed = Object.entries(checks).filter(([, result]) => result !== 'ok');
  return {
    status: 503,
    contentType: 'application/problem+json',
    body: {
      type: 'urn:quizloop:problem:not-ready',
      title: 'Service Unavailable',
      status: 503,
      detail: `Not ready: ${failed.map(([name, result]) => `${name} (${result})`).join(', ')}.`,
      code: ErrorCode.NotReady,
      instance,
      checks,
    },
  };
}
