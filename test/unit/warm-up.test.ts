import { describe, expect, it } from 'vitest';
import { ChannelMessage, parseMessage } from '../../src/shared/events';
import { WARM_UP_MESSAGES, warmChannelParser } from '../../src/socket/warm-up';

describe('the socket process warming its channel parser at start', () => {
  it('parses every warm-up message as a valid channel message (a refused one would warm nothing)', () => {
    for (const m of WARM_UP_MESSAGES) expect(parseMessage(ChannelMessage, JSON.stringify(m))).toEqual({ ok: true, message: m });
    expect(warmChannelParser()).toBe(WARM_UP_MESSAGES.length);
  });

  it('covers every kind a game sends and a view with each optional part filled', () => {
    const kinds = new Set(WARM_UP_MESSAGES.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(ChannelMessage.options.map((o) => o.shape.kind.value).sort());
    const views = WARM_UP_MESSAGES.flatMap((m) => (m.kind === 'view' ? [m.view] : []));
    expect(views.some((v) => v.question !== null && v.leaderboard.length > 0)).toBe(true);
    expect(views.some((v) => v.reveal !== null && v.paused !== null && v.podium !== null)).toBe(true);
  });
});
