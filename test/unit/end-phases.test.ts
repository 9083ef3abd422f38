import { describe, expect, it } from 'vitest';
import { END_PHASES, isEndPhase } from '../../src/game/room-machine';
import { RoomPhase } from '../../src/shared/room';
import { joinScript } from '../../src/store/scripts/join.lua';

describe('the end phases', () => {
  it('are the phases isEndPhase names, and no other', () => {
    expect(RoomPhase.options.filter(isEndPhase).sort()).toEqual([...END_PHASES].sort());
  });

  it('are the phases the join script refuses, from the same list', () => {
    expect(joinScript).toContain("if phase == 'finished' or phase == 'failed' or phase == 'cancelled' then return -2 end");
  });
});
