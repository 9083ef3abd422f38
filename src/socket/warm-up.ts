import { ChannelMessage, parseMessage } from '../shared/events';
import type { RoomView } from '../shared/room';

const view: RoomView = {
  code: 'WARMUP',
  gameId: 'warm-up',
  phase: 'question',
  version: 2,
  hostName: 'host',
  settings: { questionCount: 2, questionSeconds: 20, revealSeconds: 5, mode: 'timed', category: null, difficulty: null },
  questionIndex: 0,
  question: { index: 0, category: 'general', difficulty: 'easy', type: 'multiple', text: 'Which?', choices: ['a', 'b', 'c', 'd'] },
  deadlineAt: 2,
  serverNow: 1,
  playerCount: 1,
  onlineCount: 1,
  answeredCount: 0,
  leaderboard: [{ rank: 1, nickname: 'player', score: 0 }],
  reveal: null,
  locked: false,
  passphraseRequired: false,
  paused: null,
  podium: null,
  failureReason: null,
};

/** One message of each kind a game sends on a room's channel, with every part of a view filled in once. */
export const WARM_UP_MESSAGES: ChannelMessage[] = [
  { kind: 'state', version: 2 },
  { kind: 'view', version: 2, openedAt: 1, view },
  {
    kind: 'view',
    version: 3,
    openedAt: null,
    view: {
      ...view,
      phase: 'reveal',
      reveal: { correctChoices: [0], acceptedAnswers: [], distribution: [1, 0, 0, 0], correctCount: 1 },
      paused: { phase: 'reveal', remainingMs: 1 },
      podium: [{ rank: 1, nickname: 'player', score: 1000 }],
    },
  },
  { kind: 'countdown', version: 2, phase: 'question', questionIndex: 0, deadlineAt: 2, tick: 1, dueAt: 1, answeredCount: 0, playerCount: 1 },
  { kind: 'refresh' },
  { kind: 'kicked', playerId: 'player' },
  { kind: 'next', code: 'WARMUP', gameId: 'warm-up', tokens: { player: 'token' } },
];

/**
 * Parses one message of each kind, once, when the socket process starts. The first parse of a schema
 * builds zod's compiled checks, and the first question view a process got took ~10 ms more than the next
 * ones (docs/capacity.md), at the start of the first question's fan-out. Returns how many parsed.
 */
export function warmChannelParser(): number {
  return WARM_UP_MESSAGES.filter((m) => parseMessage(ChannelMessage, JSON.stringify(m)).ok).length;
}
