import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: codes are read off a screen across a room and typed on phones. */
export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ROOM_CODE_LENGTH = 6;

export function generateRoomCode(): string {
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

export function normalizeRoomCode(input: string): string {
  return input.trim().toUpperCase();
}

/** A code in its canonical form, as a regular expression source (the REST docs publish it too). */
export const ROOM_CODE_PATTERN = `^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`;
const ROOM_CODE = new RegExp(ROOM_CODE_PATTERN);

export function isRoomCode(input: string): boolean {
  return ROOM_CODE.test(input);
}
