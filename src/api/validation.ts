import { z } from 'zod';
import { isRoomCode, normalizeRoomCode } from '../game/room-code';
import { AppError } from './app-error';

/** Parses with a schema, so a bad request becomes a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  return schema.parse(input ?? {});
}

/** A number from the query string (which arrives as text): an integer in bounds, or a 400 naming the bound. */
export const queryInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback).describe(`${min}–${max}, default ${fallback}.`);

export function roomCodeParam(raw: unknown): string {
  const code = normalizeRoomCode(String(raw ?? ''));
  if (!isRoomCode(code)) throw AppError.badRequest(`"${String(raw)}" is not a room code (six letters and digits).`);
  return code;
}

/** 1–20 characters after trimming; no control characters or markup, since every screen in the room shows it. */
export const Nickname = z
  .string()
  .transform((s) => s.trim().normalize('NFC'))
  .pipe(
    z
      .string()
      .min(1, 'nickname must not be empty')
      .max(20, 'nickname must be at most 20 characters')
      .refine((s) => !/[\p{Cc}\p{Cf}<>]/u.test(s), 'nickname must not contain control characters or < >'),
  )
  // The docs show only the input (a string) of a transform, so they get the rules in words.
  .describe('1–20 characters after trimming; no control characters, < or >.');
