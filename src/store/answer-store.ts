import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, ReplyError } from 'ioredis';
import { normalizeAnswerText } from '../shared/answer-text';
import { ErrorCode } from '../shared/error-codes';
import { EVENTS_MAX_LENGTH } from './event-bus';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';
import { answer as answerScript } from './scripts/answer.lua';
import type { FailureCode, KeyList } from './scripts/define-script';

export type AnswerResult =
  | { ok: true; points: number; closable: boolean; answeredCount: number; version: number; receivedAt: number }
  | { ok: false; code: ErrorCode; message: string };

/** The message a player is told for each refusal of the answer script (its codes: answer.lua.ts). */
const REFUSALS: Record<FailureCode<typeof answerScript>, string> = {
  [ErrorCode.RoomNotFound]: 'This room does not exist or has expired.',
  [ErrorCode.NotAcceptingAnswers]: 'No question is open for answers right now.',
  // Told as NOT_ACCEPTING_ANSWERS (refusedAs): not final, an honest client can only get it from a clock error, and its next tap is stamped later.
  'not-open-yet': 'This question was not open yet when your answer arrived; an answer counts only once the question is shown.',
  [ErrorCode.WrongQuestion]: 'That question is not the one open now.',
  [ErrorCode.TooLate]: 'The time for this question is up.',
  [ErrorCode.AlreadyAnswered]: 'You have already answered this question; your first answer counts.',
  [ErrorCode.NotAPlayer]: 'You are not a player in this room.',
  [ErrorCode.InvalidChoice]: 'That choice is not one of the answers offered.',
  [ErrorCode.WrongAnswerType]:
    'This answer does not fit the question: a type-answer question takes { questionIndex, text }, every other type { questionIndex, choice }.',
};

/** The code a refusal is told with: the script's own, but 'not-open-yet' as NOT_ACCEPTING_ANSWERS. */
const refusedAs = (code: FailureCode<typeof answerScript>): ErrorCode => (code === 'not-open-yet' ? ErrorCode.NotAcceptingAnswers : code);

/** A pick of one choice, or a typed answer (for type-answer questions). */
export type PlayerAnswer = { choice: number } | { text: string };

/** When and how an answer came: stamped by the socket process on arrival, before any await. */
export interface ArrivalTiming {
  /** Epoch ms on Redis's clock (see redis-clock.ts); null: when the script runs. */
  arrivedAt: number | null;
  /** How long the socket process's loop was busy before the turn that read it: the most it can have waited unread (arrival.ts). */
  loopBusyMs: number | null;
  /** The connection's measured round trip, null before the first measurement. */
  rttMs: number | null;
  /** The client's own reaction time, if it sent one. */
  reportedMs: number | null;
}

/** The fair-timing settings the answer script applies (docs/game.md, "Fair timing"). */
export interface TimingRules {
  allowanceCapMs: number;
  /** The most a player who joined during a question is credited for joining late: SEND_LAG_CAP_MS. */
  sendLagCapMs: number;
}

/** How often an answer is sent again while Redis is away; ioredis itself gives a command up after 3 reconnects (~0.3 s). */
const REDIS_RETRY_MS = 250;
/** Replies of a Redis that is there but cannot run the script yet: loading its data, busy, failing over. */
const AWAY_REPLIES = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)\b/;
/** ioredis's errors for a command it gave up on while it could not reach Redis, or a cluster's nodes. */
const AWAY_ERRORS = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const AWAY_MESSAGES = /^(Connection is closed\.|None of startup nodes is available|Too many Cluster redirections)/;
/** Node's errors for a connection that is refused, dropped or stuck. */
const AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Whether a command failed because Redis was away (the command may be sent again), not because of what it asked. */
function redisAway(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ReplyError) return AWAY_REPLIES.test(err.message);
  const code = (err as NodeJS.ErrnoException).code;
  return AWAY_ERRORS.has(err.name) || AWAY_MESSAGES.test(err.message) || (code !== undefined && AWAY_CODES.has(code));
}

const UNSTAMPED: ArrivalTiming = { arrivedAt: null, loopBusyMs: null, rttMs: null, reportedMs: null };
const floorOrNull = (ms: number | null) => (ms === null ? null : Math.floor(ms));

type AnswerKeys = Parameters<typeof answerScript.run>[1];
type AnswerArgs = Parameters<typeof answerScript.run>[2];
type AnswerReply = Awaited<ReturnType<typeof answerScript.run>>;
interface Queued {
  keys: KeyList<AnswerKeys>;
  args: AnswerArgs;
  done: (reply: AnswerReply) => void;
  failed: (err: unknown) => void;
}

/** The rooms' and questions' key lists kept (a socket process serves a few rooms at a time; more only costs rebuilding). */
const KEY_LISTS_KEPT = 1024;

/**
 * Answers submitted in one turn of the event loop are sent at its end, room by room in one write to Redis
 * instead of one per answer, or as soon as a room has `pipelineMax` waiting: in a burst one turn reads
 * hundreds, and Redis, on another core, runs the first ones' scripts while this process still reads the rest.
 * Each answer's script still runs on its own, in the order the answers were submitted.
 */
export function createAnswerStore({
  redis,
  keys,
  rules,
  pipelineMax = 32,
  redisWaitMs = 10_000,
}: {
  redis: QuizRedis;
  keys: Keys;
  rules: TimingRules;
  pipelineMax?: number;
  /** How long after its arrival an answer is still sent again while Redis is away (ANSWER_REDIS_WAIT_MS). */
  redisWaitMs?: number;
}) {
  let queued = new Map<string, Queued[]>();
  let scheduled = false;
  /** A question's 13 key names, built once per room and question rather than per answer. */
  const keyLists = new Map<string, KeyList<AnswerKeys>>();

  function keyListOf(code: string, questionIndex: number): KeyList<AnswerKeys> {
    const id = `${questionIndex}:${code}`;
    let list = keyLists.get(id);
    if (list) return list;
    list = answerScript.keyList({
      room: keys.room(code),
      answerKey: keys.answerKey(code),
      players: keys.players(code),
      online: keys.online(code),
      answers: keys.answers(code, questionIndex),
      scores: keys.scores(code),
      streaks: keys.streaks(code),
      times: keys.times(code),
      reconnecting: keys.reconnecting(code),
      sent: keys.sent(code, questionIndex),
      instances: keys.instances(code),
      events: keys.events(code),
      closeScan: keys.closeScan(code, questionIndex),
    });
    // The oldest goes first: Map keeps insertion order.
    if (keyLists.size >= KEY_LISTS_KEPT) keyLists.delete(keyLists.keys().next().value as string);
    keyLists.set(id, list);
    return list;
  }

  function send(): void {
    scheduled = false;
    const rooms = queued;
    queued = new Map();
    for (const batch of rooms.values()) sendBatch(batch);
  }

  function sendBatch(batch: Queued[]): void {
    if (redis instanceof Redis) sendCorked(redis, batch);
    else sendPipelined(batch);
  }

  /**
   * Each answer as its own command, their writes held by the socket until the last (one write); cheaper than
   * a pipeline object per batch. ioredis's script command still falls back to EVAL on NOSCRIPT.
   */
  function sendCorked(client: Redis & QuizRedis, batch: Queued[]): void {
    // Not connected (yet, or again): the commands wait in ioredis's offline queue, there is no socket to hold.
    const socket = client.status === 'ready' ? client.stream : undefined;
    socket?.cork();
    try {
      for (const q of batch) answerScript.send(client, q.keys, q.args).then((raw) => settle(q, raw), q.failed);
    } finally {
      socket?.uncork();
    }
  }

  /** On a cluster, a pipeline: it goes to the node of the room's slot (a room's keys share one hash tag). */
  function sendPipelined(batch: Queued[]): void {
    const pipeline = redis.pipeline();
    for (const q of batch) answerScript.queue(pipeline, q.keys, q.args);
    pipeline.exec().then(
      (replies) => {
        for (const [i, q] of batch.entries()) {
          const [err, raw] = replies?.[i] ?? [new Error('the answer pipeline returned no reply'), null];
          if (err) q.failed(err);
          else settle(q, raw);
        }
      },
      (err) => {
        for (const q of batch) q.failed(err);
      },
    );
  }

  function settle(q: Queued, raw: unknown): void {
    try {
      q.done(answerScript.parse(raw));
    } catch (err) {
      q.failed(err);
    }
  }

  function run(code: string, keys: KeyList<AnswerKeys>, args: AnswerArgs): Promise<AnswerReply> {
    return new Promise((done, failed) => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(send);
      }
      const batch = queued.get(code);
      if (!batch) return void queued.set(code, [{ keys, args, done, failed }]);
      batch.push({ keys, args, done, failed });
      if (batch.length < pipelineMax) return;
      // Sent now; the turn's later answers of the room start a new batch, which the immediate sends.
      queued.delete(code);
      sendBatch(batch);
    });
  }

  return {
    /**
     * Records a player's answer. While Redis is away (restarting, failing over) it is sent again, with the same arrival
     * stamp, until `redisWaitMs` after it was first sent (a try that ioredis holds while Redis loads its data may end
     * later): the script knows a repeat of an answer whose first run's reply was
     * lost, and answers it as before (answer.lua.ts). Past that the error is thrown, and the player is told to try again.
     */
    async submit(code: string, playerId: string, questionIndex: number, answer: PlayerAnswer, timing: ArrivalTiming = UNSTAMPED): Promise<AnswerResult> {
      const typed = 'text' in answer ? answer.text.trim() : '';
      const keyList = keyListOf(code, questionIndex);
      const args: AnswerArgs = {
        playerId,
        questionIndex,
        choice: 'choice' in answer ? answer.choice : null,
        normalizedText: normalizeAnswerText(typed),
        text: typed,
        arrivedAt: floorOrNull(timing.arrivedAt),
        reportedMs: floorOrNull(timing.reportedMs),
        rttMs: floorOrNull(timing.rttMs),
        allowanceCapMs: rules.allowanceCapMs,
        eventsMaxLength: EVENTS_MAX_LENGTH,
        loopBusyMs: floorOrNull(timing.loopBusyMs),
        sendLagCapMs: rules.sendLagCapMs,
      };
      // Only a stamped answer can be told apart from a second one, so only it is sent again.
      const giveUpAt = args.arrivedAt === null ? 0 : performance.now() + redisWaitMs;
      let r: AnswerReply;
      for (;;) {
        try {
          r = await run(code, keyList, args);
          break;
        } catch (err) {
          if (!redisAway(err) || performance.now() + REDIS_RETRY_MS > giveUpAt) throw err;
          await sleep(REDIS_RETRY_MS);
        }
      }
      if (!r.ok) return { ok: false, code: refusedAs(r.code), message: REFUSALS[r.code] };
      return { ok: true, points: r.points, closable: r.closable, answeredCount: r.answeredCount, version: r.version, receivedAt: r.arrivedAt };
    },
  };
}
export type AnswerStore = ReturnType<typeof createAnswerStore>;
