import { randomUUID } from 'node:crypto';
import { generateRoomCode } from '../../src/game/room-code';
import type { Question, RoomSettings } from '../../src/shared/room';
import type { RoomState } from '../../src/game/room-state';

export const SETTINGS: RoomSettings = {
  questionCount: 3,
  category: null,
  difficulty: null,
  questionSeconds: 10,
  revealSeconds: 4,
  mode: 'timed',
  pointsPerQuestion: 1000,
  streakBonus: false,
};

export function roomIn(overrides: Partial<RoomState> = {}): RoomState {
  return {
    code: 'ABC234',
    gameId: '5d0b6c3e-8f43-4c41-9d3a-2f8f1d1e7a10',
    hostId: 'host-1',
    hostName: 'Hosty',
    phase: 'building',
    version: 1,
    questionIndex: -1,
    settings: SETTINGS,
    phaseStartedAt: null,
    openedAt: null,
    deadlineAt: null,
    paused: null,
    failureReason: null,
    createdAt: 1_000,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/** A new game's room with question 0 open since `now` (Redis's clock in integration tests), due in a minute. */
export function openQuestionRoom(now: number, overrides: Partial<RoomState> = {}): RoomState {
  return roomIn({
    code: generateRoomCode(),
    gameId: randomUUID(),
    hostId: 'host',
    hostName: 'Host',
    phase: 'question',
    version: 3,
    questionIndex: 0,
    phaseStartedAt: now,
    openedAt: now,
    deadlineAt: now + 60_000,
    createdAt: now,
    startedAt: now,
    ...overrides,
  });
}

export function question(overrides: Partial<Question> = {}): Question {
  return {
    id: 7,
    category: 'Science',
    difficulty: 'easy',
    type: 'multiple',
    text: 'Which planet is largest?',
    choices: ['Mars', 'Venus', 'Jupiter', 'Mercury'],
    correct: [2],
    accepted: [],
    ...overrides,
  };
}
