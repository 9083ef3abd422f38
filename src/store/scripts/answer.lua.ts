import { ErrorCode } from '../../shared/error-codes';
import { STREAK_CAP, STREAK_STEP } from '../../game/scoring/scoring';
import { arg, defineScript } from './define-script';
import { everyoneAnsweredLua } from './early-close.lua';

/**
 * Records one answer and scores it, atomically. The only writer of answers.
 *
 * KEYS[1] room record        KEYS[2] answer-key hash   KEYS[3] players hash   KEYS[4] online hash
 * KEYS[5] answers:{i} hash   KEYS[6] scores zset       KEYS[7] streaks hash   KEYS[8] times hash
 * KEYS[9] reconnecting hash (players expected back after their socket instance shut down)
 * KEYS[10] sent:{i} hash: player id → ms after `openedAt` the question was sent to them (sent.lua)
 * KEYS[11] socket instances' presence leases   KEYS[12] events stream
 * KEYS[13] close-scan:{i} hash, the early-close check's place in presence (everyoneAnsweredSoFar), and `decided`, its correct answers in first-correct mode (markDecided)
 * ARGV[1] player id          ARGV[2] question index    ARGV[3] choice, or '' for a typed answer
 * ARGV[4] typed answer, normalised (src/game/answer-text.ts), or ''    ARGV[5] typed answer as sent, or ''
 * ARGV[6] when the answer arrived at the socket process, epoch ms on Redis's clock, or ''
 * ARGV[7] the client's reported reaction time in ms, or ''    ARGV[8] the connection's round trip in ms, or ''
 * ARGV[9] latency allowance cap, ms    ARGV[10] approximate maximum length of the events stream
 * ARGV[11] how long the socket process's loop was busy before it read the answer, ms, or '' (arrival.ts)
 * ARGV[12] the most a player who joined during the question is credited for it, ms (SEND_LAG_CAP_MS)
 *
 * Guarantees: the question is open (phase and index), or paused from it and the answer arrived before the
 * pause (a pause settles nothing); only a player's first answer counts; points follow speedPoints() and
 * streakBonus() of src/game/scoring/scoring.ts, whose constants are written into this text. Time (docs/game.md,
 * "Fair timing"): an answer stamped before the question opened is refused (it was sent blind), a stamp from the
 * future is taken as TIME; the answer counts when it arrived by the deadline, however late this script runs, as
 * long as its question is still open: the reveal's transition (a compare-and-set that settles the answers) ends
 * the phase, so nothing is added after it. It is timed from when this player was sent the question (openedAt +
 * lag, the lag within the question time; with no send recorded, the late connector's lag below), less the latency
 * allowance of countedMs() in scoring.ts.
 * Scores, streaks and times are NOT touched here: the answer record carries
 * the points and the streak it earns, and the reveal settles them (transition.lua), so nothing a
 * player can read before the reveal moves with the correctness of an answer. KEYS[6] and KEYS[8]
 * stay in the signature so every key the answer depends on is declared.
 *
 * Correctness by the answer key's kind: `choice` — the pick is one of the correct choices (with several
 * correct, any one of them counts); `text` — the normalised text equals one accepted variant; `poll` —
 * never correct, no points, and the streak stays as it was.
 * Early close is decided here, atomically with the answer: when this answer completes the question
 * (the first correct one in `first-correct` mode, or every live player has answered), the
 * `question.closable` event is appended to the stream in the same script, so no process can die
 * between the answer and the event.
 * Idempotent for the socket process: the same answer sent again with the same arrival stamp (ARGV[6]) returns its first
 * run's reply (closable 0: the first run announced it), so an answer whose reply Redis lost is retried safely.
 * Returns {1, points, closable, answeredCount, version, arrivedAt} or {code}:
 * -1 no room, -2 not accepting, -3 wrong question, -4 too late, -5 already answered,
 * -6 not a player, -7 invalid choice, -8 a choice for a type-answer question or text for another,
 * -9 stamped before the question opened. Every refusal changes nothing.
 */
export const answerScript = `${everyoneAnsweredLua}
local raw = redis.call('GET', KEYS[1])
if not raw then return {-1} end
local room = cjson.decode(raw)
local player = ARGV[1]
local prior = redis.call('HGET', KEYS[5], player)
-- The same answer with the same arrival stamp, sent again by the socket process because Redis went away before it read
-- the reply (answer-store.ts): it is told what the first run said, whatever happened to the room since. Only the socket
-- process stamps arrivals (the messages it reads in one turn share a stamp, so the same answer sent twice in one read
-- is told ok twice, and counted once). The first run kept the stamp as it came (its stamp, the argument's own text: a
-- fractional ms survives); a later copy of the tap has a later stamp, and is a second answer.
if prior and ARGV[6] ~= '' then
  local first = cjson.decode(prior)
  local same = (first.text ~= nil and first.text == ARGV[5]) or (first.text == nil and tostring(first.choice) == ARGV[3])
  local stamped = first.stamp == ARGV[6]
  if first.stamp == nil then
    -- Recorded before the stamp was kept: its at was the stamp, or TIME when the stamp was ahead of it (then it waited 0 ms).
    local stamp = tonumber(ARGV[6])
    stamped = first.at == stamp or (first.queuedMs == 0 and stamp > first.at)
  end
  if same and stamped then return {1, first.points, 0, redis.call('HLEN', KEYS[5]), room.version, first.at} end
end
-- A pause settles nothing, so an answer that arrived before it still counts, as the running question would count it.
local paused = room.phase == 'paused' and type(room.paused) == 'table' and room.paused.phase == 'question'
if room.phase ~= 'question' and not paused then return {-2} end
local index = tonumber(ARGV[2])
if index ~= room.questionIndex then return {-3} end
local now = redisNow()
local arrived = math.floor(math.min(tonumber(ARGV[6]) or now, now))
-- Nobody is sent a question before it opens: an answer that came earlier was sent blind (and the stamp's error is below the way to a client and back).
if arrived < room.openedAt then return {-9} end
local questionMs = room.settings.questionSeconds * 1000
-- Before the deadline check: a player's re-send after a stall, read past the deadline, is told their first answer counts.
if prior then return {-5} end
local deadline = room.deadlineAt
if paused then
  if arrived >= room.paused.at then return {-2} end
  -- The deadline the pause put off; paused past it (in the close's grace), it was the question time after the opening.
  deadline = room.paused.at + room.paused.remainingMs
  if room.paused.remainingMs <= 0 then deadline = math.min(deadline, room.openedAt + questionMs) end
end
-- Arrival alone decides, not when this runs: an answer held up on its way here (a Redis stall) is not the player's delay.
-- A player's countdown ends a trip down late and their tap needs a trip up: an answer arriving within the latency
-- allowance after the deadline (their round trip, at most the cap, as for speed) was sent in time.
local cap = tonumber(ARGV[9])
local rtt = math.max(tonumber(ARGV[8]) or 0, 0)
local busy = math.max(tonumber(ARGV[11]) or 0, 0)
if arrived - math.min(rtt + busy, cap) > deadline then return {-4} end
local joined = redis.call('HGET', KEYS[3], player)
if not joined then return {-6} end
local entry = redis.call('HGET', KEYS[2], ARGV[2])
if not entry then return {-2} end
local key = cjson.decode(entry)
-- Rooms set up before question types stored {c = correct index, n}: read that as one correct choice.
if key.k == nil then key = {k = 'choice', n = key.n, c = {key.c}} end
local choice = cjson.null
local text = nil
local correct = false
if key.k == 'text' then
  if ARGV[4] == '' then return {-8} end
  text = ARGV[5]
  for _, accepted in ipairs(key.a) do
    if accepted == ARGV[4] then correct = true; break end
  end
else
  if ARGV[3] == '' then return {-8} end
  choice = tonumber(ARGV[3])
  if choice < 0 or choice >= key.n then return {-7} end
  if key.k == 'choice' then
    for _, c in ipairs(key.c) do
      if c == choice then correct = true; break end
    end
  end
end

-- Never sent by a fan-out (sent.lua), the player connected late: one in the room before the opening is timed from it,
-- one who joined since from the join, at most ARGV[12] after the opening. A late connect earns no time it did not lose.
local lag = tonumber(redis.call('HGET', KEYS[10], player) or '')
if not lag then lag = math.min(math.max((tonumber(cjson.decode(joined).joinedAt) or 0) - room.openedAt, 0), tonumber(ARGV[12])) end
lag = math.min(math.max(lag, 0), questionMs)
local serverMs = math.min(math.max(arrived - (room.openedAt + lag), 0), questionMs)
-- countedMs() of src/game/scoring/scoring.ts: the allowance, and a reported time used only inside its bounds.
local reported = tonumber(ARGV[7])
local elapsed
if reported then
  reported = math.max(math.floor(reported), 0)
  elapsed = math.min(math.max(reported, math.max(serverMs - math.min(rtt + busy, cap), 0)), serverMs)
else
  elapsed = math.max(serverMs - math.min(math.floor(rtt / 2), cap), 0)
end
local points = 0
-- Streaks as settled by the previous reveals; this answer's own streak is applied at its reveal.
local streak = tonumber(redis.call('HGET', KEYS[7], player) or '0')
if correct then
  -- speedPoints() and streakBonus() of scoring.ts.
  points = math.floor(room.settings.pointsPerQuestion * (1 - (elapsed / questionMs) / 2) + 0.5)
  streak = streak + 1
  -- A room for no points gives no bonus either; the streak still counts, as the players see it.
  if room.settings.streakBonus and room.settings.pointsPerQuestion > 0 then points = points + math.min(math.max(streak - 1, 0) * ${STREAK_STEP}, ${STREAK_CAP}) end
elseif key.k ~= 'poll' then
  streak = 0
end

redis.call('HSET', KEYS[5], player, cjson.encode({choice = choice, text = text, correct = correct, points = points, elapsedMs = elapsed, serverMs = serverMs, reportedMs = reported, rttMs = math.floor(rtt), loopBusyMs = math.floor(busy), at = arrived, stamp = ARGV[6], queuedMs = now - arrived, streak = streak}))

local answered = redis.call('HLEN', KEYS[5])
local closable = 0
local firstCorrect = room.settings.mode == 'first-correct' and correct
-- Counted beside the early-close scan, for the presence checks of a question this answer could not close (paused).
if firstCorrect then markDecided(KEYS[13], KEYS[1]) end
-- A paused question is closed by nothing; the worker's check at the resume and each tick's close it (roomPresence, presence.lua.ts).
if paused then
  closable = 0
elseif firstCorrect then
  closable = 1
elseif everyoneAnsweredSoFar(KEYS[4], KEYS[11], KEYS[5], KEYS[9], KEYS[13], now) then
  closable = 1
end
if closable == 1 then announceClosable(KEYS[12], ARGV[10], room, now) end
return {1, points, closable, answered, room.version, arrived}
`;

export const answer = defineScript({
  command: 'qlAnswer',
  lua: answerScript,
  keys: ['room', 'answerKey', 'players', 'online', 'answers', 'scores', 'streaks', 'times', 'reconnecting', 'sent', 'instances', 'events', 'closeScan'],
  argv: {
    playerId: arg.string,
    questionIndex: arg.number,
    choice: arg.orEmpty(arg.number),
    normalizedText: arg.string,
    text: arg.string,
    arrivedAt: arg.orEmpty(arg.number),
    reportedMs: arg.orEmpty(arg.number),
    rttMs: arg.orEmpty(arg.number),
    allowanceCapMs: arg.number,
    eventsMaxLength: arg.number,
    loopBusyMs: arg.orEmpty(arg.number),
    sendLagCapMs: arg.number,
  },
  failures: {
    [-1]: ErrorCode.RoomNotFound,
    [-2]: ErrorCode.NotAcceptingAnswers,
    [-3]: ErrorCode.WrongQuestion,
    [-4]: ErrorCode.TooLate,
    [-5]: ErrorCode.AlreadyAnswered,
    [-6]: ErrorCode.NotAPlayer,
    [-7]: ErrorCode.InvalidChoice,
    [-8]: ErrorCode.WrongAnswerType,
    [-9]: 'not-open-yet',
  },
  status: [1],
  reply: ['status', 'points', 'closable', 'answeredCount', 'version', 'arrivedAt'],
  ok: (r) => ({ points: r.points, closable: r.closable === 1, answeredCount: r.answeredCount, version: r.version, arrivedAt: r.arrivedAt }),
});
