import { ErrorCode } from '../shared/error-codes';
import { AnswerSubmit, type ClientToServerEvents } from '../shared/socket-events';
import type { PlayerYou } from '../shared/room';
import type { RoomRelay } from './room-relay';
import { createArrivalClock } from './arrival';
import { timedAck } from './timed-ack';
import { createRoundTrips } from './round-trip';
import { type QuizServer, type QuizSocket, type RelayDeps, ioRoom } from './types';

const noReply = () => {};

/** A player kicked while this connection was being admitted: the kick's own disconnect came too early for it. */
function closeKicked(socket: QuizSocket): void {
  socket.emit('room:closed', { reason: 'kicked', gameId: '' });
  socket.disconnect(true);
}

/**
 * Wires one admitted socket: membership, presence, the initial view, answers and sync. The handlers are
 * the same functions for every socket (`this` is the socket); per socket only what they keep between
 * events, in weak maps: thousands of connections hold no closures of their own here.
 */
export function connectionHandler(
  io: QuizServer,
  deps: RelayDeps,
  relay: Pick<RoomRelay, 'syncState' | 'freshest' | 'answerTurn'>,
  channels: { subscribed: (code: string) => Promise<void>; youSent: (socket: QuizSocket, you: PlayerYou) => void },
) {
  const { rooms, reads, answers, log, metrics, clock } = deps;
  const arrivals = createArrivalClock(clock.now);
  const roundTrips = createRoundTrips();
  /** A socket's sync in flight: syncs that come meanwhile are answered with its result. */
  const syncing = new WeakMap<QuizSocket, ReturnType<typeof relay.syncState>>();
  /** A socket's presence update: whether it was counted (a player), or when it was (a host). */
  const counted = new WeakMap<QuizSocket, Promise<unknown>>();
  // Made when something is logged: a logger held by each of thousands of connections costs memory.
  const logOf = (socket: QuizSocket) => log.child({ room: socket.data.roomCode, [socket.data.kind]: socket.data.id });

  // Every message read marks its turn of the event loop, before Socket.IO decodes it (arrival.ts); a pong ends a round trip.
  function onPacket(this: object, packet: { type: string }): void {
    arrivals.stamp();
    roundTrips.onPacket(this, packet);
  }

  async function onAnswer(this: QuizSocket, ...[payload, rawAck]: Parameters<ClientToServerEvents['answer:submit']>): Promise<void> {
    // Stamped with the loop turn that read it (Socket.IO runs this in that turn, middleware being synchronous):
    // time spent waiting in this process never costs points.
    const arrivedAt = arrivals.stamp();
    const loopBusyMs = arrivals.busyBeforeMs();
    // An answer sent without an ack still counts; only the reply has nowhere to go.
    const ack = timedAck(typeof rawAck === 'function' ? rawAck : noReply, metrics.answerAck);
    const { kind, roomCode, id } = this.data;
    // Stamped already: waiting out the room's question fan-out costs the player nothing.
    const turn = relay.answerTurn(roomCode);
    if (turn) await turn;
    if (kind !== 'player') {
      return ack({ ok: false, error: { code: ErrorCode.NotAPlayer, message: 'Only players answer; this is a host connection.' } });
    }
    const parsed = AnswerSubmit.safeParse(payload);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      return ack({
        ok: false,
        error: {
          code: ErrorCode.BadRequest,
          message: `An answer is { questionIndex, choice } with whole numbers from 0, or { questionIndex, text } for a type-answer question (${why}).`,
        },
      });
    }
    const { questionIndex, choice, text, reactionMs } = parsed.data;
    try {
      const answer = choice !== undefined ? { choice } : { text: (text ?? '').trim() };
      const result = await answers.submit(roomCode, id, questionIndex, answer, {
        arrivedAt,
        loopBusyMs,
        rttMs: roundTrips.of(this.conn),
        reportedMs: reactionMs ?? null,
      });
      if (!result.ok) return ack({ ok: false, error: { code: result.code, message: result.message } });
      // Locked in; whether it was right is told only at the reveal, so the ack cannot leak the answer.
      // A question this answer completed was closed by the answer script itself (question.closable).
      ack({ ok: true, questionIndex, ...answer, receivedAt: result.receivedAt });
    } catch (err) {
      logOf(this).error('answer failed', { err });
      // Redis did not take it within ANSWER_REDIS_WAIT_MS: it may have been recorded, so a different tap may be told ALREADY_ANSWERED.
      ack({
        ok: false,
        error: { code: ErrorCode.Internal, message: 'The answer may not have been recorded (the game server could not reach its data); try again.' },
      });
    }
  }

  // At most one sync in flight per socket.
  async function onSync(this: QuizSocket, ...[ack]: Parameters<ClientToServerEvents['room:sync']>): Promise<void> {
    if (typeof ack !== 'function') return;
    let pending = syncing.get(this);
    if (!pending) {
      const { kind, roomCode, id, name } = this.data;
      pending = relay.syncState(roomCode, kind === 'player' ? { id, nickname: name } : null).finally(() => syncing.delete(this));
      syncing.set(this, pending);
    }
    let state: Awaited<typeof pending>;
    try {
      state = await pending;
    } catch (err) {
      // Redis did not answer: the room may well be there, so the client is told to try again, not that it is gone.
      logOf(this).warn('sync failed', { err });
      return ack({ ok: false, error: { code: ErrorCode.Internal, message: 'The room could not be read just now; try again.' } });
    }
    if (!state) return ack({ ok: false, error: { code: ErrorCode.RoomNotFound, message: 'This room no longer exists.' } });
    // A view pushed while the sync read the player's own state is newer than the one it picked (see freshest).
    ack({ ok: true, view: relay.freshest(this.data.roomCode, state), you: state.you });
  }

  // Uncounted once its count is done (a player's: only if it was counted).
  function onDisconnect(this: QuizSocket): void {
    const { kind, roomCode, id } = this.data;
    counted
      .get(this)
      ?.then((wasCounted) => (kind === 'host' ? rooms.hostPresence(roomCode, id, -1) : wasCounted ? rooms.presence(roomCode, id, -1) : 0))
      .catch((err) => logOf(this).warn('presence update failed', { err }));
  }

  return async (socket: QuizSocket) => {
    const { kind, roomCode, id } = socket.data;
    // Handlers first, before any await: Socket.IO drops events that arrive before their handler exists,
    // and a reconnecting client often syncs or re-sends its answer the moment it is connected.
    roundTrips.track(socket.conn);
    socket.conn.on('packet', onPacket);
    socket.on('answer:submit', onAnswer);
    socket.on('room:sync', onSync);
    socket.on('disconnect', onDisconnect);

    if (kind === 'host') {
      const hostCounted = rooms.hostPresence(roomCode, id, 1);
      hostCounted.catch((err) => logOf(socket).warn('presence update failed', { err }));
      counted.set(socket, hostCounted);
    }
    if (kind === 'player') {
      // Counted and uncounted from the start: a connection that drops while this handler awaits must not
      // stay counted as online, or the question would wait for a player who is gone. Not counted when
      // kicked: checked in the same script, so a kick that lands later finds the count and this socket joined.
      // Handled at once: a Redis error here must not become an unhandled rejection that ends the process.
      const connecting = rooms.connectPlayer(roomCode, id).catch((err) => {
        logOf(socket).warn('presence update failed', { err });
        return null;
      });
      counted.set(
        socket,
        connecting.then((c) => c?.counted === true),
      );
      const connected = await connecting;
      // A second connection with the same token replaces the first, on whichever instance it is, when the
      // count says there is one (or could not tell): two broadcasts, no cluster-wide lookup. This socket is
      // excepted: the adapter may apply its own request to itself after the socket has joined.
      if (!connected || (connected.counted && (connected.connections > 1 || connected.elsewhere > 0))) {
        io.to(ioRoom.player(id)).except(socket.id).emit('room:closed', { reason: 'replaced', gameId: '' });
        io.in(ioRoom.player(id)).except(socket.id).disconnectSockets(true);
      }
      // Not counted as online, the player could be left out of early close: let the client connect again.
      if (!connected) return void socket.disconnect(true);
      if (socket.disconnected) return;
      // Kicked before the count (the script would not count it).
      if (!connected.counted) return closeKicked(socket);
      socket.join(ioRoom.player(id));
    }
    socket.join(ioRoom.game(roomCode));
    // Subscribed to the room's channel before the first read, so no change after it is missed.
    await channels.subscribed(roomCode);
    if (socket.disconnected) return;
    // Kicked between the count and the subscription: that kick was published to no one here. One read now, as
    // any later kick reaches this socket through the channel.
    if (kind === 'player' && (await reads.isKicked(roomCode, id))) return closeKicked(socket);

    // The view this process holds for the room's current version, and the player's own state.
    const state = await relay.syncState(roomCode, kind === 'player' ? { id, nickname: socket.data.name } : null);
    if (state) {
      socket.emit('room:view', relay.freshest(roomCode, state));
      if (state.you) {
        socket.emit('room:you', state.you);
        channels.youSent(socket, state.you);
      }
      // No send time is recorded for a connection during a question: the answer script times a late connector
      // from the opening, or from their join when they joined since, so connecting late earns nothing.
    }
  };
}
