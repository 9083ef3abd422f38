import type { ClockField } from '../../game/room-machine';
import type { RoomState } from '../../game/room-state';
import { RANK_TIME_SCALE, TIE_BREAK_CHARGED } from '../../game/scoring/ranking';
import type { ChannelMessage, RoomEvent } from '../../shared/events';
import { type ArgCodec, arg, defineScript } from './define-script';
import { redisNowLua } from './early-close.lua';
/**
 * Compare-and-set of a room record, with its event and its notification, atomically.
 *
 * KEYS[1]    room record (JSON)
 * KEYS[2]    events stream
 * KEYS[3..]  every other key of the room, whose expiry is refreshed (KEYS[10] its questions)
 * ARGV[1]    expected version, or -1 when the room must not exist yet
 * ARGV[2]    new room record (JSON)
 * ARGV[3]    event type
 * ARGV[4]    event (JSON)
 * ARGV[5]    pub/sub channel of the room
 * ARGV[6]    channel message (JSON)
 * ARGV[7]    time to live of the room's keys, seconds
 * ARGV[8]    approximate maximum length of the events stream
 * ARGV[9]    1 when this transition reveals a question: settle its answers (below), else 0
 * ARGV[10]   PUBLISH, or SPUBLISH on a Redis Cluster (the channel shares the room's hash tag)
 * ARGV[11]   the record's clock fields (JSON array, see room-machine.ts `Change`): each holds ms after
 *            now and gets Redis TIME added; `paused` gets now as `at` and the time left until the old
 *            deadline it holds as `remainingMs`. The event's `at` is now. No caller's clock is used.
 * ARGV[12]   the room's questions (JSON) to store in KEYS[10], or '' to leave them; given with
 * ARGV[13]   the answer key (JSON array: question i's entry at i + 1) that replaces KEYS[8]. Written
 *            only past the version check, so a stale `prepared` never replaces a later game's questions.
 *
 * Settling, when ARGV[9] is 1, needs KEYS[3] answers of the revealed question, KEYS[4] players,
 * KEYS[5] scores, KEYS[6] streaks, KEYS[7] tie-break times, KEYS[8] answer key, KEYS[9] ranking. Each
 * answer's points, recorded by answer.lua, are added to the scores. The tie-break time (ranking.ts) charges
 * every player the whole question time, and a correct answer is charged its counted time instead: so a
 * wrong answer, or none, costs the whole question, and equal points never go to the one who answered
 * less. A correct answer's streak (answer.lua's) is kept; every other player's streak ends. A poll
 * charges no time and leaves streaks alone. Answers of players kicked since are dropped. The work grows
 * with the answers, not with the room: a player who did not answer costs nothing here (the charge is one
 * field, TIE_BREAK_CHARGED in ranking.ts). Done inside the compare-and-set, a question is settled exactly once.
 *
 * Returns {1, now} when applied (now: the epoch ms it was applied at, Redis TIME), -1 when the room
 * does not exist (or already exists, for -1), -2 when its version differs. Either all of record, event and message are written, or none.
 */
export const transitionScript = `${redisNowLua}
local expected = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if expected == -1 then
  if raw then return -1 end
else
  if not raw then return -1 end
  if tonumber(cjson.decode(raw).version) ~= expected then return -2 end
end
local now = redisNow()
local record = cjson.decode(ARGV[2])
for _, field in ipairs(cjson.decode(ARGV[11])) do
  if field == 'paused' then
    record.paused.at = now
    record.paused.remainingMs = math.max(0, record.paused.remainingMs - now)
  else
    record[field] = record[field] + now
  end
end
local event = cjson.decode(ARGV[4])
event.at = now
local ttl = tonumber(ARGV[7])
redis.call('SET', KEYS[1], cjson.encode(record), 'EX', ttl)
if ARGV[12] ~= '' then
  redis.call('SET', KEYS[10], ARGV[12])
  redis.call('DEL', KEYS[8])
  for i, entry in ipairs(cjson.decode(ARGV[13])) do redis.call('HSET', KEYS[8], tostring(i - 1), entry) end
end
for i = 3, #KEYS do redis.call('EXPIRE', KEYS[i], ttl) end
if ARGV[9] == '1' then
  local entry = redis.call('HGET', KEYS[8], tostring(record.questionIndex))
  local poll = entry and cjson.decode(entry).k == 'poll'
  local questionMs = record.settings.questionSeconds * 1000
  -- Only the answers are walked, never every player: a question nobody answered settles in a few commands.
  -- Every player is charged the whole question time at once (one field), and a correct answer saves what it
  -- did not use of it; the streaks after a question are exactly its correct answers' (any other ends a streak).
  -- A game begun before this rule (an update mid-game) holds each player's own total. Once, each becomes a saving of
  -- minus that total against a charge of 0, which reads as the same total and keeps the ranking's numbers as they are.
  -- Transitional (2026-12-07): once every room begun before this rule has expired (ROOM_TTL_SECONDS), it can go, with
  -- view-reader.ts's reading of a hash with no charge.
  if redis.call('HEXISTS', KEYS[7], '${TIE_BREAK_CHARGED}') == 0 and redis.call('HLEN', KEYS[7]) > 0 then
    local totals = redis.call('HGETALL', KEYS[7])
    for i = 1, #totals, 2 do redis.call('HSET', KEYS[7], totals[i], -tonumber(totals[i + 1])) end
    redis.call('HSET', KEYS[7], '${TIE_BREAK_CHARGED}', 0)
  end
  if not poll then
    redis.call('HINCRBY', KEYS[7], '${TIE_BREAK_CHARGED}', questionMs)
    redis.call('DEL', KEYS[6])
  end
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    local id = all[i]
    if redis.call('HEXISTS', KEYS[4], id) == 1 then
      local a = cjson.decode(all[i + 1])
      local saved = 0
      if a.correct and not poll then saved = math.max(questionMs - a.elapsedMs, 0) end
      if a.points ~= 0 then redis.call('ZINCRBY', KEYS[5], a.points, id) end
      if saved > 0 then redis.call('HINCRBY', KEYS[7], id, saved) end
      -- rankKey(score, tie-break) less what every player was charged: the same order, with no write per player.
      if a.points ~= 0 or saved > 0 then redis.call('ZINCRBY', KEYS[9], -a.points * ${RANK_TIME_SCALE} - saved, id) end
      if not poll and (a.streak or 0) > 0 then redis.call('HSET', KEYS[6], id, a.streak) end
    end
  end
  for i = 3, 9 do redis.call('EXPIRE', KEYS[i], ttl) end
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'type', ARGV[3], 'event', cjson.encode(event))
redis.call(ARGV[10], ARGV[5], ARGV[6])
return {1, now}
`;

export const transition = defineScript({
  command: 'qlTransition',
  lua: transitionScript,
  keys: ['room', 'events', 'answers', 'players', 'scores', 'streaks', 'times', 'answerKey', 'ranking', 'questions'],
  restKeys: 'others',
  argv: {
    expectedVersion: arg.number,
    record: arg.json<RoomState>(),
    eventType: arg.string as ArgCodec<RoomEvent['type']>,
    event: arg.json<RoomEvent>(),
    channel: arg.string,
    message: arg.json<ChannelMessage>(),
    ttlSeconds: arg.number,
    eventsMaxLength: arg.number,
    settles: arg.flag,
    publish: arg.string as ArgCodec<'PUBLISH' | 'SPUBLISH'>,
    clock: arg.json<readonly ClockField[]>(),
    questions: arg.orEmpty(arg.string),
    answerKey: arg.orEmpty(arg.json<string[]>()),
  },
  // 'not-found' also when creating (expected version -1) and the room exists already.
  failures: { [-1]: 'not-found', [-2]: 'stale' },
  status: [1],
  reply: ['applied', 'at'],
  ok: (r) => ({ at: r.at }),
});
