import { answer } from './answer.lua';
import { raiseHostTokenVersion } from './host-token-version.lua';
import { join } from './join.lua';
import { kick } from './kick.lua';
import { leaderboard } from './leaderboard.lua';
import { lease, onlineCount, presence, reassert, reconnecting, roomPresence } from './presence.lua';
import { publishView } from './publish-view.lua';
import { releaseLock } from './release-lock.lua';
import { sent } from './sent.lua';
import { tick } from './tick.lua';
import { transition } from './transition.lua';

/** Every script, loaded on each client by createRedis (a test checks none is missing). */
export const ALL_SCRIPTS = [
  transition,
  join,
  answer,
  presence,
  kick,
  reconnecting,
  leaderboard,
  lease,
  roomPresence,
  sent,
  onlineCount,
  tick,
  publishView,
  reassert,
  raiseHostTokenVersion,
  releaseLock,
];
