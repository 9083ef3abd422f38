// @ts-check
/** @import { RoomView } from '../../src/client' */
import { createCountdown } from './countdown.js';
import { byId, h, loadStored, showError, showFormErrors, showNotice, showScreen, store } from './dom.js';
import { initAccountPanel } from './host-account.js';
import { initAuthForms, loadCategories, readCreateForm } from './host-forms.js';
import { renderFinished, renderLobby, renderPlayerList, renderQuestion, renderReveal, renderTimingReport } from './host-screens.js';
import { showHistory, showLeaderboards, showResults } from './host-reports.js';
import { initQuestionEditor, openQuestionEditor } from './question-editor.js';
import { api, downloadWithToken } from './rest-client.js';
import { connect, connectErrorMessage, createClock, isRefusal, retryLater } from './socket-client.js';

/** `{ token, displayName }`: the account that creates rooms. */
const ACCOUNT_KEY = 'quizloop.host';
/** `{ code, hostToken }`: the room on this screen; a reload reconnects to it. */
const ROOM_KEY = 'quizloop.hostRoom';
/**
 * Screens a host opens beside the room (their account, history, leaderboards, the question editor): a room view that
 * arrives meanwhile is drawn behind them, not over them, and their "Done" goes back to the room.
 */
const ASIDE_SCREENS = new Set(['account', 'history', 'leaderboards', 'editor']);
/** The "Done" buttons of those screens. */
const DONE_BUTTONS = ['account-done', 'history-done', 'leaderboards-done', 'qe-done'];
/** Which controls make sense in which phase; the server refuses the others anyway. */
const CONTROLS_BY_PHASE = {
  lobby: ['lock', 'unlock', 'end'],
  question: ['pause', 'skip', 'lock', 'unlock', 'end'],
  reveal: ['pause', 'skip', 'lock', 'unlock', 'end'],
  paused: ['resume', 'lock', 'unlock', 'end'],
};

const clock = createClock();
const questionCountdown = createCountdown(byId('hq-countdown'), clock);
const revealCountdown = createCountdown(byId('hr-countdown'), clock);

let account = loadStored(ACCOUNT_KEY);
let room = null;
/** @type {import('./socket-client.js').QuizSocket | null} */
let socket = null;
/** @type {RoomView | null} */
let view = null;
let renderedQuestion = -1;

function showAccount() {
  byId('account').hidden = !account;
  byId('account-name').textContent = account ? account.displayName : '';
}

function showAuth(message) {
  showScreen('auth');
  showError(message ?? null);
}

function showCreate() {
  if (!account) return showAuth(null);
  showScreen('create');
  loadCategories(account.token, signInAgain);
}

function closeRoom() {
  socket?.disconnect();
  socket = room = view = null;
  labelDoneButtons();
  renderedQuestion = -1;
  store(ROOM_KEY, null);
  byId('host-controls').hidden = true;
  byId('players-panel').hidden = true;
  questionCountdown.stop();
  revealCountdown.stop();
  byId('bar-code').hidden = true;
  showNotice(null);
}

/** The new-game form's inputs by the field names of POST /rooms. */
const CREATE_FIELDS = {
  questionCount: 'create-count',
  questionSeconds: 'create-seconds',
  revealSeconds: 'create-reveal',
  category: 'create-category',
  difficulty: 'create-difficulty',
  mode: 'create-mode',
  pointsPerQuestion: 'create-points',
  passphrase: 'create-passphrase',
};

async function createRoom(event) {
  event.preventDefault();
  const button = event.submitter ?? byId('create-form').querySelector('button');
  button.disabled = true;
  try {
    const created = await api('POST', '/rooms', { token: account?.token, body: readCreateForm() });
    showError(null);
    await openRoom({ code: created.code, hostToken: created.hostToken });
    applyView(created.room);
  } catch (err) {
    if (err.status === 401) signInAgain(err.message);
    else showFormErrors(byId('create-form'), err, CREATE_FIELDS);
  } finally {
    button.disabled = false;
  }
}

async function openRoom(next) {
  room = next;
  labelDoneButtons();
  store(ROOM_KEY, room);
  byId('bar-code').textContent = room.code;
  byId('bar-code').hidden = false;
  showScreen('building');
  let conn;
  try {
    conn = await connect(room.hostToken);
  } catch (err) {
    // The page's config or the server was not to be had (a restart, say): try again while this room is shown.
    showError(`${err.message} Retrying…`);
    setTimeout(() => {
      if (room === next) openRoom(next);
    }, 3000);
    return;
  }
  socket = conn;
  socket.on('connect', () => {
    showNotice(null);
    sync();
  });
  socket.on('connect_error', (err) => {
    if (!isRefusal(err)) {
      showNotice(connectErrorMessage(err));
      return retryLater(conn, err, () => socket === conn);
    }
    const code = room?.code;
    closeRoom();
    showCreate();
    showError(`Could not open room ${code}: ${connectErrorMessage(err)}`);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    showNotice('Connection to the game server lost; reconnecting…');
    // Socket.IO reconnects by itself except when the server hung up (a restart, say).
    if (reason === 'io server disconnect') conn.connect();
  });
  socket.on('room:view', applyView);
  // The other reasons come with a view of the end (finished, failed, cancelled), which applyView shows.
  socket.on('room:closed', ({ reason, message }) => {
    if (reason !== 'lost') return;
    const code = room?.code;
    closeRoom();
    showCreate();
    showError(`Room ${code}: ${message ?? 'the game server lost this game; it cannot go on.'}`);
  });
  socket.on('room:countdown', (c) => {
    clock.sync(c.serverNow);
    if (!view || c.phase !== view.phase || c.questionIndex !== view.questionIndex) return;
    // Answers push no view: the count comes with each tick, once every 2 s.
    if (c.phase === 'question') byId('hq-answered').textContent = `${c.answeredCount} of ${c.playerCount} answered`;
    if (c.phase === 'question') questionCountdown.set(c.deadlineAt, view.settings.questionSeconds * 1000);
    if (c.phase === 'reveal') revealCountdown.set(c.deadlineAt, view.settings.revealSeconds * 1000);
  });
}

function sync() {
  if (!socket?.connected) return;
  socket.emit('room:sync', (res) => {
    if (res.ok) applyView(res.view);
  });
}

function applyView(next) {
  clock.sync(next.serverNow);
  // A sync answer can arrive after a newer pushed view: never go back a version.
  if (view && next.version < view.version) return;
  view = next;
  const front = document.body.dataset.showing ?? '';
  drawRoom(view);
  if (room && ASIDE_SCREENS.has(front)) showScreen(front);
}

/** "Done" on a screen beside the room: back to the room the page holds, or to the new-game form. */
function backFromAside() {
  if (room && view) drawRoom(view);
  else if (room) showScreen('building');
  else showCreate();
}

/** The aside screens' "Done" buttons say where they go: back to the room while one is open, else what the page says. */
function labelDoneButtons() {
  for (const id of DONE_BUTTONS) {
    const button = byId(id);
    button.dataset.label ??= button.textContent ?? '';
    button.textContent = room ? 'Back to the room' : button.dataset.label;
  }
}

/** The room's own screen for `view`, with its controls and players. */
function drawRoom(view) {
  showControls(view);
  showPlayersPanel(view);
  if (view.phase !== 'paused') showNotice(null);
  switch (view.phase) {
    case 'building':
      return showScreen('building');
    case 'lobby':
      renderLobby(view);
      return void showKickableNames(view);
    case 'question':
      revealCountdown.stop();
      renderQuestion(view, questionCountdown, renderedQuestion);
      renderedQuestion = view.questionIndex;
      return;
    case 'reveal':
      questionCountdown.stop();
      return renderReveal(view, revealCountdown);
    case 'paused':
      questionCountdown.stop();
      revealCountdown.stop();
      showNotice(`Paused by you, with ${Math.ceil((view.paused?.remainingMs ?? 0) / 1000)} s left. Resume when ready.`);
      if (view.paused?.phase === 'reveal') return renderReveal(view, revealCountdown);
      renderQuestion(view, questionCountdown, renderedQuestion);
      renderedQuestion = view.questionIndex;
      return;
    case 'finished':
      questionCountdown.stop();
      revealCountdown.stop();
      void loadTimingReport(view.gameId);
      renderFinished(view);
      return downloadWithToken(byId('results-csv', HTMLAnchorElement), room?.hostToken);
    case 'failed':
      byId('failed-reason').textContent = view.failureReason ?? 'The worker could not prepare the questions.';
      store(ROOM_KEY, null);
      return showScreen('failed');
    case 'cancelled':
      closeRoom();
      showCreate();
      // Why, when the server says (deleted by an admin, the account deleted).
      return showError(view.failureReason ?? 'The room was cancelled.');
  }
}

/** The saved results carry the timing rule and the cheat signals; the worker saves them a moment after the end. */
let reportFor = null;
async function loadTimingReport(gameId) {
  if (reportFor === gameId) return;
  reportFor = gameId;
  // The room's token, kept: a room closed meanwhile (the results opened) leaves none to read them with.
  const token = room?.hostToken;
  for (let attempt = 0; attempt < 15 && reportFor === gameId; attempt++) {
    try {
      return renderTimingReport(await api('GET', `/games/${encodeURIComponent(gameId)}/results`, { token }));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function showControls(v) {
  const allowed = new Set(CONTROLS_BY_PHASE[v.phase] ?? []);
  if (v.locked) allowed.delete('lock');
  else allowed.delete('unlock');
  const bar = byId('host-controls');
  bar.hidden = allowed.size === 0;
  for (const button of bar.querySelectorAll('button')) button.hidden = !allowed.has(button.dataset.action);
}

async function control(action, button) {
  if (!room) return;
  if (action === 'end' && !confirm('End the game now? The scores so far are kept.')) return;
  button.disabled = true;
  try {
    // Name the version on screen: a tap that arrives after the clock moved on is refused, not applied to the next phase.
    // Locking moves no phase and names none.
    const body = action === 'lock' || action === 'unlock' ? undefined : { version: view?.version };
    applyView(await api('POST', `/rooms/${room.code}/${action}`, { token: room.hostToken, body }));
    showError(null);
  } catch (err) {
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

/**
 * The lobby's name chips, each with a button that removes that player (GET /rooms/:code/players holds
 * the ids the shared view leaves out). The chips from the view stay while the list loads.
 */
async function showKickableNames(shown) {
  if (!room) return;
  const current = room;
  let players;
  try {
    ({ players } = await api('GET', `/rooms/${current.code}/players`, { token: current.hostToken }));
  } catch {
    return;
  }
  // A newer view may have rendered meanwhile: only the latest may replace the chips.
  if (room !== current || view !== shown || view.phase !== 'lobby') return;
  byId('lobby-names').replaceChildren(
    ...players.map((p) =>
      h(
        'li',
        {},
        h('span', {}, p.nickname),
        h(
          'button',
          { type: 'button', className: 'chip-kick', title: `Remove ${p.nickname}`, ariaLabel: `Remove ${p.nickname}`, onclick: () => kick(p.playerId) },
          '×',
        ),
      ),
    ),
  );
}

/** During the game, the player list under the controls; loaded while it is open, again with each view. */
function showPlayersPanel(v) {
  const panel = byId('players-panel', HTMLDetailsElement);
  panel.hidden = !['question', 'reveal', 'paused'].includes(v.phase);
  byId('players-count').textContent = String(v.playerCount);
  if (!panel.hidden && panel.open) void loadPlayerList();
}

async function loadPlayerList() {
  if (!room) return;
  const current = room;
  try {
    const { players } = await api('GET', `/rooms/${current.code}/players`, { token: current.hostToken });
    if (room === current) renderPlayerList(players, confirmKick);
  } catch (err) {
    showError(err.message);
  }
}

function confirmKick({ playerId, nickname }) {
  if (!confirm(`Remove ${nickname} from the game? Their token stops working and their points leave the standings.`)) return;
  void kick(playerId).then(loadPlayerList);
}

async function kick(playerId) {
  if (!room) return;
  try {
    applyView(await api('DELETE', `/rooms/${room.code}/players/${encodeURIComponent(playerId)}`, { token: room.hostToken }));
    showError(null);
  } catch (err) {
    showError(err.message);
  }
}

async function startGame() {
  if (!room) return;
  const button = byId('start', HTMLButtonElement);
  button.disabled = true;
  try {
    applyView(await api('POST', `/rooms/${room.code}/start`, { token: room.hostToken, body: { version: view?.version } }));
    showError(null);
  } catch (err) {
    showError(err.message);
    button.disabled = false;
  }
}

/** A new room with the same settings; the players still connected follow into its lobby by themselves. */
async function playAgain() {
  if (!room) return;
  const button = byId('play-again-room', HTMLButtonElement);
  button.disabled = true;
  try {
    const next = await api('POST', `/rooms/${room.code}/again`, { token: room.hostToken });
    closeRoom();
    await openRoom({ code: next.code, hostToken: next.hostToken });
    applyView(next.room);
    showError(null);
  } catch (err) {
    // The host token was refused (expired, or signed with secrets since replaced): only a new sign-in helps.
    if (err.status === 401) signInAgain(err.message);
    else showError(err.message);
  } finally {
    button.disabled = false;
  }
}

function signOut() {
  account = null;
  store(ACCOUNT_KEY, null);
  closeRoom();
  showAccount();
}

/** After a password change the server refuses the room's older host token: get a new one with the new user token, and go on with it. */
async function renewHostToken() {
  const current = room;
  if (!current || !account) return;
  try {
    const { hostToken } = await api('POST', `/rooms/${current.code}/host-token`, { token: account.token });
    if (room !== current) return;
    current.hostToken = hostToken;
    store(ROOM_KEY, current);
    // Read again at every reconnection.
    if (socket) socket.auth = { token: hostToken };
  } catch (err) {
    showError(`This room's controls could not be kept after the password change: ${err.message}`);
  }
}

/** A 401 on a signed-in call: the token expired or its account is gone, so the stored sign-in is useless. */
function signInAgain(message) {
  // Signed out already (the account deleted on this page, say): a call still in flight has nothing left to sign out.
  if (!account) return;
  signOut();
  showAuth(/sign in again/i.test(message) ? message : `${message} Sign in again.`);
}

function newGame() {
  closeRoom();
  showError(null);
  showCreate();
}

/** A failed room is prepared again, same code and settings: the room reopens in `building`. */
async function retryFailedRoom() {
  if (!room) return;
  const failed = room;
  try {
    await api('POST', `/rooms/${failed.code}/retry`, { token: failed.hostToken });
    closeRoom();
    showError(null);
    await openRoom(failed);
  } catch (err) {
    showError(err.message);
  }
}

/** Deletes the failed room (its players are told), then back to a new game. */
async function deleteFailedRoom() {
  if (!room) return;
  try {
    await api('DELETE', `/rooms/${room.code}`, { token: room.hostToken });
    newGame();
  } catch (err) {
    showError(err.message);
  }
}

initQuestionEditor(backFromAside, signInAgain);
const accountPanel = initAccountPanel({
  token: () => account?.token,
  passwordChanged: (token) => {
    account = { ...account, token };
    store(ACCOUNT_KEY, account);
    renewHostToken();
  },
  deleted: () => {
    signOut();
    showAuth(null);
    showNotice('Your account was deleted.');
  },
  signInAgain,
});
byId('open-account').addEventListener('click', () => (account ? accountPanel.show() : showAuth(null)));
byId('account-done').addEventListener('click', backFromAside);
byId('open-results').addEventListener('click', () => {
  const gameId = view?.gameId;
  if (!gameId) return;
  const token = room?.hostToken;
  // The game is over: leave its room, so no late view redraws the podium over the results.
  closeRoom();
  showResults(gameId, token);
});
byId('open-history').addEventListener('click', () => (account ? showHistory(account.token, signInAgain) : showAuth(null)));
byId('results-done').addEventListener('click', newGame);
byId('history-done').addEventListener('click', backFromAside);
byId('open-leaderboards').addEventListener('click', () => showLeaderboards(account?.userId ?? null));
byId('leaderboards-done').addEventListener('click', backFromAside);
byId('open-editor').addEventListener('click', () => {
  if (!account) return showAuth(null);
  showScreen('editor');
  openQuestionEditor(account.token);
});
initAuthForms((signedIn) => {
  account = signedIn;
  store(ACCOUNT_KEY, account);
  showAccount();
  showCreate();
});
byId('create-form').addEventListener('submit', createRoom);
byId('start').addEventListener('click', startGame);
byId('new-game').addEventListener('click', newGame);
byId('play-again-room').addEventListener('click', playAgain);
byId('players-panel').addEventListener('toggle', () => {
  if (byId('players-panel', HTMLDetailsElement).open) void loadPlayerList();
});
byId('failed-new').addEventListener('click', newGame);
byId('failed-retry').addEventListener('click', retryFailedRoom);
byId('failed-delete').addEventListener('click', deleteFailedRoom);
byId('sign-out').addEventListener('click', () => {
  signOut();
  showAuth(null);
});
byId('host-controls').addEventListener('click', (event) => {
  const button = /** @type {HTMLButtonElement | null} */ (/** @type {Element} */ (event.target).closest('button[data-action]'));
  if (button) control(button.dataset.action, button);
});

showAccount();
const savedRoom = loadStored(ROOM_KEY);
if (savedRoom?.code && savedRoom.hostToken) openRoom(savedRoom);
else showCreate();
