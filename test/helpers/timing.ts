import type { TimingRules } from '../../src/store/answer-store';

/** The fair-timing defaults of src/platform/config.ts, for tests that build an answer store. */
export const TIMING: TimingRules = { allowanceCapMs: 150, sendLagCapMs: 2000 };
