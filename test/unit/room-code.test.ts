import { describe, expect, it } from 'vitest';
import { ROOM_CODE_ALPHABET, generateRoomCode, isRoomCode, normalizeRoomCode } from '../../src/game/room-code';

describe('room codes', () => {
  it('are six characters without look-alikes (0/O, 1/I/L)', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateRoomCode();
      expect(isRoomCode(code)).toBe(true);
      expect(code).not.toMatch(/[01OIL]/);
    }
    expect(ROOM_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('accept what a player types, trimmed and in any case', () => {
    expect(isRoomCode(normalizeRoomCode('  abc234 '))).toBe(true);
    expect(isRoomCode('ABC23')).toBe(false);
    expect(isRoomCode('ABC2O4')).toBe(false);
  });
});
