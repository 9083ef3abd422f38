import { describe, expect, it } from 'vitest';
import { assertNever } from '../../src/shared/assert-never';
import { unknownEventType } from '../../src/shared/events';

describe('unknownEventType', () => {
  it('names the type of an event this code does not know', () => {
    expect(unknownEventType(JSON.stringify({ type: 'room.renamed', roomCode: 'ABCD' }))).toBe('room.renamed');
  });

  it('is null for a known type, however malformed the rest, and for what names no type', () => {
    expect(unknownEventType(JSON.stringify({ type: 'room.started' }))).toBeNull();
    expect(unknownEventType('{"type":"room.renamed"')).toBeNull();
    expect(unknownEventType(JSON.stringify({ kind: 'room.renamed' }))).toBeNull();
    expect(unknownEventType(JSON.stringify({ type: 7 }))).toBeNull();
    expect(unknownEventType('null')).toBeNull();
  });
});

describe('assertNever', () => {
  it('throws, naming the value the types ruled out', () => {
    expect(() => assertNever({ type: 'room.renamed' } as never, 'room event')).toThrow('unexpected room event: {"type":"room.renamed"}');
  });
});
