import { arg, defineScript } from './define-script';
/**
 * Records when a question was sent to players by its opening's fan-out, keeping each player's first: a
 * later send (a view pushed again, a reconnect) must not restart anyone's clock.
 *
 * KEYS[1] sent:{i} hash (player id → ms after the question opened)   KEYS[2] room record
 * ARGV[1] time to live, seconds    ARGV[2] the question's index    ARGV[3..] player id, lag ms, player id, lag ms, …
 * Records nothing unless the room is in that question (or paused in it) and still in the run that opened it:
 * a resumed question's fan-out (its `phaseStartedAt` is the resume, past `openedAt`) sends it again to those
 * who had it, and anyone else had the pause to read it; they are timed as late connectors (answer.lua).
 * Returns how many players were recorded for the first time.
 */
export const sentScript = `
local raw = redis.call('GET', KEYS[2])
if not raw then return 0 end
local room = cjson.decode(raw)
local open = room.phase == 'question' or (room.phase == 'paused' and type(room.paused) == 'table' and room.paused.phase == 'question')
if not open or room.questionIndex ~= tonumber(ARGV[2]) or room.phaseStartedAt ~= room.openedAt then return 0 end
local added = 0
for i = 3, #ARGV, 2 do
  added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return added
`;

export const sent = defineScript({
  command: 'qlSent',
  lua: sentScript,
  keys: ['sent', 'room'],
  argv: { ttlSeconds: arg.number, questionIndex: arg.number, lags: arg.pairs },
  failures: {},
  reply: ['added'],
  ok: (r) => ({ added: r.added }),
});
