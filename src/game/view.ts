import type { LeaderboardEntry, PlayerYou, PublicQuestion, Question, RoomView } from '../shared/room';
import type { RoomState, StoredAnswer } from './room-state';

/** What the store reads for one view; gathered once per update, whatever the number of players. */
export interface ViewInputs {
  room: RoomState;
  question: Question | null;
  playerCount: number;
  onlineCount: number;
  answeredCount: number;
  /** The top of the standings only, never every player: the view's size does not grow with the room. */
  leaderboard: LeaderboardEntry[];
  /** The answers to the current question (null choice: typed); used only after the reveal. */
  answers: { choice: number | null; correct: boolean }[];
  locked: boolean;
}

/** What a player's own state depends on of the room: a RoomState or the RoomView built from it. */
export interface PhaseOf {
  phase: RoomState['phase'];
  questionIndex: number;
  paused: { phase: 'question' | 'reveal' } | null;
}

/** The phase a paused room shows: the question or reveal it was paused in. */
export function shownPhase(room: PhaseOf): RoomState['phase'] {
  return room.phase === 'paused' && room.paused ? room.paused.phase : room.phase;
}

const PODIUM_SIZE = 3;

function publicQuestion(q: Question, index: number): PublicQuestion {
  // Built field by field, so that `answer` (or anything later added to Question) cannot slip through.
  return { index, category: q.category, difficulty: q.difficulty, type: q.type, text: q.text, choices: [...q.choices] };
}

/** True once the current question's correct answer may be shown. */
export function isRevealed(room: PhaseOf): boolean {
  const phase = shownPhase(room);
  return phase === 'reveal' || phase === 'finished';
}

export function buildRoomView(input: ViewInputs, serverNow: number): RoomView {
  const { room, question } = input;
  const phase = shownPhase(room);
  const showQuestion = question !== null && (phase === 'question' || phase === 'reveal');
  let reveal: RoomView['reveal'] = null;
  if (question && phase === 'reveal') {
    const distribution = question.choices.map(() => 0);
    for (const { choice: c } of input.answers) if (c !== null && c >= 0 && c < distribution.length) distribution[c] = (distribution[c] ?? 0) + 1;
    reveal = {
      correctChoices: [...question.correct],
      acceptedAnswers: [...question.accepted],
      distribution,
      correctCount: input.answers.filter((a) => a.correct).length,
    };
  }
  const { questionCount, questionSeconds, revealSeconds, mode, category, difficulty } = room.settings;
  return {
    code: room.code,
    gameId: room.gameId,
    phase: room.phase,
    version: room.version,
    hostName: room.hostName,
    settings: { questionCount, questionSeconds, revealSeconds, mode, category, difficulty },
    questionIndex: room.questionIndex,
    question: showQuestion ? publicQuestion(question, room.questionIndex) : null,
    deadlineAt: room.deadlineAt,
    serverNow,
    playerCount: input.playerCount,
    onlineCount: input.onlineCount,
    answeredCount: input.answeredCount,
    leaderboard: input.leaderboard,
    reveal,
    locked: input.locked,
    passphraseRequired: room.passphraseHash !== undefined,
    paused: room.paused ? { phase: room.paused.phase, remainingMs: room.paused.remainingMs } : null,
    podium: room.phase === 'finished' ? input.leaderboard.slice(0, PODIUM_SIZE) : null,
    failureReason: room.failureReason,
  };
}

/** A player's own state. The result of their answer is withheld until the question is revealed. */
export function buildPlayerYou(
  room: PhaseOf,
  player: { id: string; nickname: string },
  own: { score: number; rank: number; streak: number; answer: StoredAnswer | null },
): PlayerYou {
  let answer: PlayerYou['answer'] = null;
  if (own.answer && room.questionIndex >= 0) {
    const { choice, text } = own.answer;
    const given = text === undefined ? { questionIndex: room.questionIndex, choice } : { questionIndex: room.questionIndex, choice, text };
    answer = isRevealed(room) ? { ...given, correct: own.answer.correct, points: own.answer.points } : given;
  }
  return { playerId: player.id, nickname: player.nickname, score: own.score, rank: own.rank, streak: own.streak, answer };
}
