import { normalizeAnswerText } from '../shared/answer-text';
import { ErrorCode } from '../shared/error-codes';
import { EVENTS_MAX_LENGTH } from './event-bus';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

export type AnswerResult =
  | { ok: true; points: number; closable: boolean; answeredCount: number; version: number; receivedAt: number }
  | { ok: false; code: ErrorCode; message: string };

/** The answer script's small negative codes, turned into errors in one place. */
const SCRIPT_ERRORS: Record<number, { code: ErrorCode; message: string }> = {
  [-1]: { code: ErrorCode.RoomNotFound, message: 'This room does not exist or has expired.' },
  [-2]: { code: ErrorCode.NotAcceptingAnswers, message: 'No question is open for answers right now.' },
  [-3]: { code: ErrorCode.WrongQuestion, message: 'That question is not the one open now.' },
  [-4]: { code: ErrorCode.TooLate, message: 'The time for this question is up.' },
  [-5]: { code: ErrorCode.AlreadyAnswered, message: 'You have already answered this question; your first answer counts.' },
  [-6]: { code: ErrorCode.NotAPlayer, message: 'You are not a player in this room.' },
  [-7]: { code: ErrorCode.InvalidChoice, message: 'That choice is not one of the answers offered.' },
  [-8]: {
    code: ErrorCode.WrongAnswerType,
    message: 'This answer does not fit the question: a type-answer question takes { questionIndex, text }, every other type { questionIndex, choice }.',
  },
};

/** A pick of one choice, or a typed answer (for type-answer questions). */
export type PlayerAnswer = { choice: number } | { text: string };

/** When and how an answer came: stamped by the socket process on arrival, before any await. */
export interface ArrivalTiming {
  /** Epoch ms on Redis's clock (see redis-clock.ts); null: when the script runs. */
  arrivedAt: number | null;
  /** The connection's measured round trip, null before the first measurement. */
  rttMs: number | null;
  /** The client's own reaction time, if it sent one. */
  reportedMs: number | null;
}

/** The fair-timing settings the answer script applies (README, "Timing"). */
export interface TimingRules {
  allowanceCapMs: number;
  answerGraceMs: number;
}

const UNSTAMPED: ArrivalTiming = { arrivedAt: null, rttMs: null, reportedMs: null };
const msArg = (ms: number | null) => (ms === null ? '' : Math.floor(ms));

export function createAnswerStore({ redis, keys, rules }: { redis: QuizRedis; keys: Keys; rules: TimingRules }) {
  return {
    async submit(code: string, playerId: string, questionIndex: number, answer: PlayerAnswer, timing: ArrivalTiming = UNSTAMPED): Promise<AnswerResult> {
      const typed = 'text' in answer ? answer.text.trim() : '';
      const r = await redis.qlAnswer(
        12,
        keys.room(code), keys.answerKey(code), keys.players(code), keys.online(code),
        keys.answers(code, questionIndex), keys.scores(code), keys.streaks(code), keys.times(code),
        keys.reconnecting(code), keys.sent(code, questionIndex), keys.instances(code), keys.events(code),
        playerId, questionIndex, 'choice' in answer ? answer.choice : '', normalizeAnswerText(typed), typed,
        msArg(timing.arrivedAt), msArg(timing.reportedMs), msArg(timing.rttMs),
        rules.allowanceCapMs, rules.answerGraceMs, EVENTS_MAX_LENGTH,
      );
      const [status, points, closable, answeredCount, version, receivedAt] = r;
      if (status !== 1) {
        return { ok: false, ...(SCRIPT_ERRORS[status ?? 0] ?? { code: ErrorCode.Internal, message: 'Unexpected answer result.' }) };
      }
      return {
        ok: true,
        points: points ?? 0,
        closable: closable === 1,
        answeredCount: answeredCount ?? 0,
        version: version ?? 0,
        receivedAt: receivedAt ?? 0,
      };
    },
  };
}
export type AnswerStore = ReturnType<typeof createAnswerStore>;
