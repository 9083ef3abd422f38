// @ts-check
/** @import { Socket } from 'socket.io-client' */
/** @import { ClientToServerEvents, ServerToClientEvents } from '../../src/client' */
import { api } from './rest-client.js';

/** @typedef {Socket<ServerToClientEvents, ClientToServerEvents>} QuizSocket the typed connection (quizloop/client) */

/** Refusals by the server's admission check: reconnecting with the same token cannot help. */
const REFUSAL_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'ROOM_NOT_FOUND', 'NOT_A_PLAYER', 'KICKED']);

let configPromise = null;

/** What the api tells the page (GET /client-config): where Socket.IO is, and where players join. */
export function clientConfig() {
  configPromise ??= api('GET', '/client-config').catch((err) => {
    configPromise = null;
    throw err;
  });
  return configPromise;
}

/** Socket.IO's URL: PUBLIC_SOCKET_URL, else this host on a separate socket port, else this very origin. */
export async function socketUrl() {
  const config = await clientConfig();
  if (config.socketUrl) return config.socketUrl;
  return config.socketPort ? `${location.protocol}//${location.hostname}:${config.socketPort}` : location.origin;
}

/**
 * Opens a Socket.IO connection with a player or host token. The caller wires the events;
 * the browser client (served at /vendor/socket.io.min.js) reconnects by itself after network loss.
 * @param {string} token
 * @returns {Promise<QuizSocket>}
 */
export async function connect(token) {
  if (typeof window.io !== 'function') throw new Error('The Socket.IO client did not load; reload the page.');
  return window.io(await socketUrl(), { auth: { token } });
}

/** What to show a person for a `connect_error`: the server's message when it refused us. Call it in the handler (see below). */
export function connectErrorMessage(err) {
  const message = err?.data?.message ?? err?.message ?? 'unknown error';
  if (err?.data?.message) return message;
  const turnedDown = handshakeRefusal(err);
  if (turnedDown) return `${turnedDown} Retrying…`;
  return `Cannot reach the game server (${message}); retrying…`;
}

/**
 * The server's message when it turned the handshake itself down (too many connections from this
 * address): the body of the long-polling request's 403, which the client empties once the handler returns.
 */
function handshakeRefusal(err) {
  try {
    const body = JSON.parse(err?.context?.responseText ?? '');
    return typeof body?.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
}

/**
 * After a `connect_error` that is not a refusal. Socket.IO retries network failures by itself
 * (`active` stays true), but not an error the server sent back: a limit (RATE_LIMITED, whose `retryAfter`
 * is the seconds to wait: connecting sooner is refused again) or a token check that failed for now (`delayMs`).
 */
export function retryLater(socket, err, stillWanted, delayMs = 2000) {
  if (socket.active) return;
  const retryAfter = err?.data?.retryAfter;
  // A little spread, so screens refused together do not all come back in the same instant.
  const waitMs = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter * 1000 + Math.random() * 500 : delayMs;
  setTimeout(() => {
    if (stillWanted() && !socket.connected) socket.connect();
  }, waitMs);
}

/** True when the server refused the token, as opposed to a network problem worth retrying. */
export function isRefusal(err) {
  return REFUSAL_CODES.has(err?.data?.code);
}

/**
 * The server's clock as seen from here. Each frame's `serverNow` minus the local time is an
 * offset too small by that frame's network delay, so the largest of the last few is the best guess.
 */
export function createClock() {
  const samples = [];
  return {
    sync(serverNow) {
      if (typeof serverNow !== 'number') return;
      samples.push(serverNow - Date.now());
      if (samples.length > 5) samples.shift();
    },
    now() {
      return Date.now() + (samples.length ? Math.max(...samples) : 0);
    },
  };
}
