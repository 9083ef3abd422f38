import { z } from 'zod';
import { QuestionFields, RoomSettings } from './room';

/** How one question went: derived from the answers when the results are read. */
export const QuestionBreakdown = z.object({
  answeredCount: z.number().int(),
  correctCount: z.number().int(),
  distribution: z.array(z.number().int()).describe('How many players picked each choice, by choice index.'),
  players: z
    .array(
      z.object({
        playerId: z.string(),
        nickname: z.string(),
        answered: z.boolean(),
        choice: z.number().int().nullable().describe('null: no answer, or a typed one.'),
        text: z.string().nullable().describe('type-answer: what the player typed; else null.'),
        correct: z.boolean(),
        points: z.number(),
        elapsedMs: z.number().nullable(),
      }),
    )
    .describe('Every player of the game, by final rank, with their answer to this question.'),
});
export type QuestionBreakdown = z.infer<typeof QuestionBreakdown>;

/** How answers were timed: the rule in words, and the settings it ran with. */
export const TimingRule = z.object({
  rule: z.string(),
  allowanceCapMs: z.number().int(),
  reactionFloorMs: z.number().int(),
  answerGraceMs: z.number().int(),
});
export type TimingRule = z.infer<typeof TimingRule>;

/** One kind of suspicious play by one player; `count` answers showed it. */
export const CheatSignal = z.object({
  kind: z.enum(['fast-reaction', 'same-pattern', 'same-address']),
  count: z.number().int(),
  message: z.string(),
});
export type CheatSignal = z.infer<typeof CheatSignal>;

/**
 * A finished game as PostgreSQL keeps it, each question with its breakdown; `GET /games/:id/results`
 * returns it with `leaderboards` (GameResultsRead). Times are ISO 8601.
 */
export const GameResults = z.object({
  game: z.object({
    id: z.string(),
    roomCode: z.string(),
    hostId: z.string().nullable(),
    settings: RoomSettings,
    startedAt: z.string().nullable(),
    finishedAt: z.string(),
  }),
  questions: z.array(QuestionFields.extend({ index: z.number().int(), breakdown: QuestionBreakdown })),
  players: z.array(
    z.object({
      playerId: z.string(),
      nickname: z.string(),
      userId: z.string().nullable(),
      score: z.number(),
      rank: z.number().int(),
      correctCount: z.number().int(),
      totalAnswerMs: z
        .number()
        .describe(
          "The tie-break time, ms: per question revealed, a correct answer's counted time, the whole question time for a wrong answer or none, also for a question before the player joined (a poll adds nothing).",
        ),
      sameAddressPlayers: z
        .number()
        .int()
        .nullable()
        .describe("Players of this game who joined from this player's network address, this one included; null before it was kept."),
      signals: z.array(CheatSignal).describe('Signs of cheating, for the host to judge: shown, never acted on.'),
    }),
  ),
  timing: TimingRule,
  answers: z.array(
    z.object({
      playerId: z.string(),
      questionIndex: z.number().int(),
      choice: z.number().int().nullable().describe('null for a typed answer.'),
      text: z.string().nullable().describe('The typed answer of a type-answer question, as sent; else null.'),
      correct: z.boolean().describe('Always false for a poll.'),
      points: z.number(),
      elapsedMs: z.number().describe('The time that counted for speed: serverMs less the latency allowance (see `timing`).'),
      serverMs: z.number().nullable().describe('Arrival at the server minus when the question was sent to this player; null before fair timing.'),
      reportedMs: z.number().nullable().describe('The reaction time the client reported, if any; used only within the allowance.'),
      rttMs: z.number().nullable().describe("The connection's measured round trip when it answered (0: not measured yet)."),
      answeredAt: z.string().describe('When the answer arrived at the server.'),
    }),
  ),
});
export type GameResults = z.infer<typeof GameResults>;

/** Whether the game counts on the global and weekly boards and, if not, why (docs/api.md, "Leaderboards"). */
export const BoardStanding = z.object({
  counts: z.boolean(),
  excluded: z
    .enum(['too-few-players', 'host-questions'])
    .nullable()
    .describe('Why not: too few signed-in players besides the host, or a question the host could know the answer to; null when it counts.'),
  message: z.string().describe('The same, in plain words for the screen.'),
});
export type BoardStanding = z.infer<typeof BoardStanding>;

/** What `GET /games/:id/results` answers: the saved game and, judged by the bank as it is when read, its standing on the boards. */
export const GameResultsRead = GameResults.extend({ leaderboards: BoardStanding });
export type GameResultsRead = z.infer<typeof GameResultsRead>;
