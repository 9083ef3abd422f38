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
