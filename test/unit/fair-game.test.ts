import { describe, expect, it } from 'vitest';
import { countsOnLeaderboards } from '../../src/game/scoring/fair-game';

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
