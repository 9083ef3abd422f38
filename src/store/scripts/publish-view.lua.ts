import type { ChannelMessage } from '../../shared/events';
import { type ArgCodec, arg, defineScript } from './define-script';
/**
 * Publishes a version's view on the room's channel only while the room is still at that version: a
 * view built while the room moved on is never pushed after the next version's (its writer publishes its own).
 *
 * KEYS[1] room record (JSON)
 * ARGV[1] the version the view was built for
 * ARGV[2] pub/sub channel of the room    ARGV[3] channel message (JSON)
 * ARGV[4] PUBLISH, or SPUBLISH on a Redis Cluster (the channel shares the room's hash tag)
 * Returns 1 when published, -1 when the room does not exist, -2 when its version differs.
 */
export const publishViewScript = `
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
if tonumber(cjson.decode(raw).version) ~= tonumber(ARGV[1]) then return -2 end
redis.call(ARGV[4], ARGV[2], ARGV[3])
return 1
`;

export const publishView = defineScript({
  command: 'qlPublishView',
  lua: publishViewScript,
  keys: ['room'],
  argv: {
    version: arg.number,
    channel: arg.string,
    message: arg.json<ChannelMessage>(),
    publish: arg.string as ArgCodec<'PUBLISH' | 'SPUBLISH'>,
  },
  failures: { [-1]: 'not-found', [-2]: 'stale' },
  status: [1],
  reply: ['published'],
  ok: () => ({}),
});
