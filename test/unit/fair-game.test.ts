import { describe, expect, it } from 'vitest';
import { boardExclusion, boardStanding, countsOnLeaderboards } from '../../src/game/scoring/fair-game';

describe('which finished games count on the leaderboards', () => {
  const host = 'u-host';

  it('not a host playing alone under their own account, nor with guests', () => {
    expect(countsOnLeaderboards(host, [{ userId: host }, { userId: null }, { userId: null }], 2)).toBe(false);
  });

  it('not with fewer distinct signed-in players besides the host than required, however often one joined', () => {
    expect(countsOnLeaderboards(host, [{ userId: host }, { userId: 'u-a' }, { userId: 'u-a' }], 2)).toBe(false);
  });

  it('a game with enough signed-in players besides the host', () => {
    expect(countsOnLeaderboards(host, [{ userId: host }, { userId: 'u-a' }, { userId: 'u-b' }], 2)).toBe(true);
  });

  it('every game when the setting is 0', () => {
    expect(countsOnLeaderboards(host, [{ userId: host }], 0)).toBe(true);
  });
});

describe('which questions let a game count', () => {
  const players = [{ userId: 'u-host' }, { userId: 'u-a' }, { userId: 'u-b' }];
  const game = { hostId: 'u-host', players, questionIds: [1, 2, 3] };

  it('a game whose every question is public and written by someone else counts', () => {
    expect(boardExclusion(game, new Set([1, 2, 3, 4]), 2)).toBeNull();
  });

  it('one question the host could know the answer to keeps the whole game off the boards', () => {
    expect(boardExclusion(game, new Set([1, 3]), 2)).toBe('host-questions');
  });

  it('too few players is said first, whatever the questions', () => {
    expect(boardExclusion({ ...game, players: [{ userId: 'u-host' }] }, new Set(), 2)).toBe('too-few-players');
  });
});

describe("a game's standing on the boards, for its results", () => {
  it('says in plain words why a game did not count', () => {
    expect(boardStanding('host-questions', 2)).toEqual({
      counts: false,
      excluded: 'host-questions',
      message: "This game did not count on the leaderboards: it asked the host's own questions, and a host knows their answers.",
    });
    expect(boardStanding('too-few-players', 2).message).toBe(
      'This game did not count on the leaderboards: a game counts with at least 2 signed-in players besides the host.',
    );
  });

  it('says so when it counted', () => {
    expect(boardStanding(null, 2)).toEqual({ counts: true, excluded: null, message: 'This game counted on the leaderboards.' });
  });
});
