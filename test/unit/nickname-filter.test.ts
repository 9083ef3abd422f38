import { describe, expect, it } from 'vitest';
import { createNicknameFilter } from '../../src/game/nickname-filter';

describe('the nickname word filter', () => {
  const blocked = createNicknameFilter(['darn', 'heck']);

  it.each(['darn', 'DARN', 'Dárn', 'd4rn', 'd-a.r n', 'Darn it', 'dar-n', 'H3CK', 'the heck'])('refuses %s', (nickname) => {
    expect(blocked(nickname)).toBe(true);
  });

  it.each(['Ann', 'Darius', 'Checkmate 3', 'Zoë', 'xxdarnxx'])('lets %s through', (nickname) => {
    expect(blocked(nickname)).toBe(false);
  });

  it('lets everything through when the list is empty', () => {
    expect(createNicknameFilter([])('darn')).toBe(false);
    expect(createNicknameFilter(['  ', '--'])('anything')).toBe(false);
  });
});
