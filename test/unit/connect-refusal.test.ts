import { describe, expect, it } from 'vitest';
import { afterConnectError } from '../../src/shared/connect-refusal';

/** A `connect_error` as Socket.IO's client emits it: the server's refusal, when there is one, in `data`. */
const connectError = (data?: unknown) => Object.assign(new Error('refused'), data === undefined ? {} : { data });

describe('what a client does after a connect_error (afterConnectError)', () => {
  it('waits the retryAfter a RATE_LIMITED refusal names, in ms', () => {
    const refusal = { code: 'RATE_LIMITED', message: 'Too many connects', retryAfter: 7 };

    expect(afterConnectError(connectError(refusal))).toEqual({ kind: 'wait', ms: 7000, refusal });
  });

  it('gives up on a refusal the same token can never get past', () => {
    for (const code of ['UNAUTHORIZED', 'FORBIDDEN', 'ROOM_NOT_FOUND', 'NOT_A_PLAYER', 'KICKED']) {
      expect(afterConnectError(connectError({ code, message: 'no' }))).toMatchObject({ kind: 'final', refusal: { code } });
    }
  });

  it('tries again after a moment when the server could not check the token, or sent a refusal it does not know', () => {
    expect(afterConnectError(connectError({ code: 'INTERNAL', message: 'Redis' }), 1500)).toMatchObject({ kind: 'wait', ms: 1500 });
    expect(afterConnectError(connectError({ code: 'SOMETHING_NEW', message: '?' }), 1500)).toEqual({ kind: 'wait', ms: 1500, refusal: null });
    expect(afterConnectError(connectError({ code: 'RATE_LIMITED', message: 'x', retryAfter: -3 }), 1500)).toEqual({ kind: 'wait', ms: 1500, refusal: null });
  });

  it('leaves a network failure to Socket.IO, which retries it by itself', () => {
    expect(afterConnectError(connectError())).toEqual({ kind: 'network' });
    expect(afterConnectError(null)).toEqual({ kind: 'network' });
  });
});
