// @ts-check
/** @import { PlayerYou, RoomView } from '../../src/client' */
import { createCountdown } from './countdown.js';
import { CHOICE_LETTERS, byId, clearFormErrors, formatPoints, h, loadStored, showError, showFormErrors, showNotice, showScreen, store } from './dom.js';
import { initPreferences, playCue } from './preferences.js';
import { api } from './rest-client.js';
import { renderLeaderboard } from './room-views.js';
import { connect, connectErrorMessage, createClock, isRefusal, retryLater } from './socket-client.js';

/** `{ code, token, nickname }` of the game this browser plays in; a reload rejoins with it. */
const SESSION_KEY = 'quizloop.player';
/** The account signed in on this device (the host page's sign-in): a player joins under it, so the game counts for them. */
const ACCOUNT_KEY = 'quizloop.host';
/**
 * Answer refusals after which tapping again cannot help. Not NOT_ACCEPTING_ANSWERS: it means "not now" (paused, or
 * not open yet), and the question may still take an answer; once it is over, its reveal locks the buttons anyway.
 */
const FINAL_REFUSALS = new Set(['ALREADY_ANSWERED', 'TOO_LATE', 'WRONG_QUESTION']);

const clock = createClock();
const countdown = createCountdown(byId('q-countdown'), clock);

let session = null;
/** @type {import('./socket-client.js').QuizSocket | null} */
let socket = null;
/** @type {RoomView | null} */
let view = null;
/** @type {PlayerYou | null} */
let you = null;
/** Another tab or device took this player over: do not reconnect and take it back. */
let replaced = false;
/** Per question: the rendered index, an answer in flight (and whether its ack is slow), the acknowledged answer, a refusal, when it was shown. */
const noQuestion = () => ({ index: -1, sending: null, slow: false, locked: null, refusal: null, shownAt: 0 });
let question = noQuestion();
/** The server takes no reported reaction time past this (src/shared/socket-events.ts). */
const MAX_REACTION_MS = 600_000;
/** How long an answer waits for the server's ack before the page sends it again. */
const ACK_WAIT_MS = 5000;

function showJoin(code, message) {
  byId('join-code', HTMLInputElement).value = code ?? '';
  const account = loadStored(ACCOUNT_KEY);
  byId('join-account').replaceChildren(
    ...(account?.token
      ? [`Playing as ${account.displayName}: your points count on the leaderboards.`]
      : ['Playing as a guest. ', h('a', { href: '/host.html' }, 'Sign in'), ' for your points to count on the leaderboards.']),
  );
  showScreen('join');
  showError(message ?? null);
  byId(code ? 'join-nickname' : 'join-code').focus();
}

function endSession(message) {
  socket?.disconnect();
  socket = null;
  const code = session?.code;
  session = view = you = null;
  store(SESSION_KEY, null);
  countdown.stop();
  byId('you-bar').hidden = true;
  showNotice(null);
  showJoin(code, message);
}

async function join(event) {
  event.preventDefault();
  const code = byId('join-code', HTMLInputElement).value.trim().toUpperCase();
  const nickname = byId('join-nickname', HTMLInputElement).value.trim();
  if (!code || !nickname) return showError('Enter the room code from the host screen and a nickname.');
  const button = event.submitter ?? byId('join-form').querySelector('button');
  button.disabled = true;
  try {
    const path = `/rooms/${encodeURIComponent(code)}/players`;
    const account = loadStored(ACCOUNT_KEY);
    // A private room's passphrase: asked for once the server says the room needs one.
    const passphrase = byId('join-passphrase', HTMLInputElement).value || undefined;
    // An expired sign-in must not keep anyone out: join as a guest instead.
    const joined = await api('POST', path, { body: { nickname, passphrase }, token: account?.token }).catch((err) => {
      if (err.status !== 401 || !account) throw err;
      store(ACCOUNT_KEY, null);
      return api('POST', path, { body: { nickname, passphrase } });
    });
    clearFormErrors(byId('join-form'));
    startSession({ code: joined.code, token: joined.token, nickname: joined.nickname });
  } catch (err) {
    showFormErrors(byId('join-form'), err, { nickname: 'join-nickname', passphrase: 'join-passphrase' });
    if (err.code === 'PASSPHRASE_REQUIRED' || err.code === 'WRONG_PASSPHRASE') {
      byId('join-passphrase-label').hidden = false;
      byId('join-passphrase').focus();
    }
  } finally {
    button.disabled = false;
  }
}

async function startSession(next) {
  session = next;
  replaced = false;
  // A new room (played again, or another code) starts at its own question 0, which the last one's state must not stand for.
  question = noQuestion();
  store(SESSION_KEY, session);
  showError(null);
  showScreen('connecting');
  let conn;
  try {
    conn = await connect(session.token);
  } catch (err) {
    showScreen('closed');
    byId('closed-text').textContent = err.message;
    byId('closed-resume').hidden = false;
    return;
  }
  socket = conn;
  socket.on('connect', () => showNotice(null));
  socket.on('connect_error', (err) => {
    if (isRefusal(err)) return endSession(`Could not rejoin room ${session?.code}: ${connectErrorMessage(err)} Join again.`);
    showNotice(connectErrorMessage(err));
    retryLater(conn, err, () => socket === conn);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect' || replaced) return;
    showNotice('Connection lost; reconnecting…');
    // Socket.IO reconnects by itself except when the server hung up (a restart, say).
    if (reason === 'io server disconnect') conn.connect();
  });
  socket.on('room:view', (next) => {
    clock.sync(next.serverNow);
    if (view && next.version < view.version) return;
    view = next;
    render();
  });
  socket.on('room:you', (next) => {
    you = next;
    renderYou();
    if (view?.phase === 'question' || view?.phase === 'reveal') renderQuestion();
    if (view?.phase === 'finished') renderFinished();
  });
  socket.on('room:countdown', (c) => {
    clock.sync(c.serverNow);
    if (view?.phase === 'question' && c.phase === 'question' && c.questionIndex === view.questionIndex) {
      countdown.set(c.deadlineAt, view.settings.questionSeconds * 1000);
    }
  });
  // The host played again with the same players: this player is already in the new room.
  socket.on('room:next', ({ code, token, nickname }) => {
    socket?.disconnect();
    view = you = null;
    history.replaceState(null, '', location.pathname);
    startSession({ code, token, nickname });
  });
  socket.on('room:closed', ({ reason, message }) => {
    if (reason === 'finished') return;
    if (reason === 'replaced') {
      replaced = true;
      return showClosed('This game is now open on another screen or tab.', true);
    }
    store(SESSION_KEY, null);
    // The room is over for this player: connecting again would only be refused, and that refusal would hide the reason.
    conn.disconnect();
    const why = {
      failed: 'The game could not start.',
      kicked: 'The host removed you from this game.',
      lost: 'The game server lost this game; it cannot go on.',
    };
    // The room's own reason (deleted by the host or an admin, the bank too small) before a general one; a kick is the player's own.
    const roomReason = reason === 'kicked' ? null : view?.failureReason;
    showClosed(message ?? roomReason ?? why[reason] ?? 'The host ended the game.', false);
  });
}

function showClosed(text, canResume) {
  countdown.stop();
  showNotice(null);
  byId('closed-text').textContent = text;
  byId('closed-resume').hidden = !canResume;
  showScreen('closed');
}

function render() {
  switch (view.phase) {
    case 'building':
    case 'lobby':
      byId('lobby-name').textContent = session.nickname;
      return showScreen('lobby');
    case 'question':
    case 'reveal':
      showNotice(null);
      return renderQuestion();
    case 'paused':
      countdown.stop();
      showNotice('The host paused the game; it goes on where it stopped.');
      return renderQuestion();
    case 'finished':
      countdown.stop();
      showNotice(null);
      return renderFinished();
    case 'failed':
    case 'cancelled':
      store(SESSION_KEY, null);
      return showClosed(view.failureReason ?? 'The host ended the game.', false);
  }
}

function renderYou() {
  if (!you) return;
  byId('you-bar').hidden = false;
  byId('you-name').textContent = you.nickname;
  byId('you-score').textContent = `${formatPoints(you.score)} pts`;
  // Everyone ties at 0 until the first reveal settles the scores: no rank before then.
  byId('you-rank').textContent = view && revealedOnce(view) ? `#${you.rank}` : '';
}

function revealedOnce(v) {
  return v.phase === 'reveal' || v.phase === 'finished' || v.questionIndex > 0 || v.paused?.phase === 'reveal';
}

/** This player's answer to the question on screen: from the server's `you`, else from the ack. */
function ownAnswer() {
  if (you?.answer && you.answer.questionIndex === view.questionIndex) return you.answer;
  return question.locked;
}

function renderQuestion() {
  const q = view.question;
  if (!q) return;
  if (question.index !== view.questionIndex) {
    question = { index: view.questionIndex, sending: null, slow: false, locked: null, refusal: null, shownAt: performance.now(), cued: false };
    if (view.phase === 'question') playCue('question');
    byId('q-meta').textContent = `Question ${view.questionIndex + 1} of ${view.settings.questionCount} · ${q.category}`;
    byId('q-text').textContent = q.text;
    const typed = q.type === 'type-answer';
    byId('q-typed').hidden = !typed;
    byId('q-typed-input', HTMLInputElement).value = '';
    byId('q-typed').onsubmit = (event) => {
      event.preventDefault();
      const text = byId('q-typed-input', HTMLInputElement).value;
      if (text.trim()) submit({ text });
    };
    byId('q-choices').hidden = typed;
    byId('q-choices').className = `choices choices-${q.choices.length}`;
    byId('q-choices').replaceChildren(
      ...q.choices.map((text, i) =>
        h(
          'button',
          { type: 'button', className: `choice choice-${i}`, dataset: { choice: String(i) }, onclick: () => submit({ choice: i }) },
          h('span', { className: 'choice-letter' }, CHOICE_LETTERS[i]),
          h('span', { className: 'choice-text' }, text),
        ),
      ),
    );
  }
  // Present in a reveal, and in a reveal the host paused.
  const revealed = view.reveal ?? null;
  const mine = ownAnswer();
  const chosen = mine?.choice ?? question.sending?.choice;
  const locked = Boolean(revealed || mine || view.phase === 'paused' || question.sending !== null || question.refusal?.final);
  // A poll has no correct choice: the reveal marks nothing right or wrong.
  const graded = revealed && revealed.correctChoices.length > 0;
  for (const button of byId('q-choices').querySelectorAll('button')) {
    const i = Number(button.dataset.choice);
    const right = Boolean(graded && revealed.correctChoices.includes(i));
    button.disabled = locked;
    button.classList.toggle('is-chosen', i === chosen);
    button.classList.toggle('is-correct', right);
    button.classList.toggle('is-wrong', Boolean(graded) && i === chosen && !right);
    button.classList.toggle('is-dimmed', (graded && !right) || (!revealed && chosen !== null && chosen !== undefined && i !== chosen));
  }
  for (const field of byId('q-typed').querySelectorAll('input, button')) field.toggleAttribute('disabled', locked);
  if (mine?.text !== undefined) byId('q-typed-input', HTMLInputElement).value = mine.text;

  const countdownEl = byId('q-countdown');
  countdownEl.hidden = Boolean(revealed);
  if (revealed || view.phase === 'paused') countdown.stop();
  else if (view.deadlineAt) countdown.set(view.deadlineAt, view.settings.questionSeconds * 1000);

  const status = byId('q-status');
  status.className = 'answer-status';
  status.hidden = Boolean(revealed);
  if (revealed) status.textContent = '';
  else if (question.sending !== null) status.textContent = question.slow ? 'Still sending your answer: the server is slow to confirm it…' : 'Sending…';
  else if (mine) {
    status.textContent = 'Answer locked in';
    status.classList.add('is-locked');
  } else if (question.refusal) {
    status.textContent = question.refusal.message;
    status.classList.add('is-error');
  } else if (view.phase === 'paused') status.textContent = 'Paused';
  else status.textContent = view.question.type === 'type-answer' ? 'Type your answer' : 'Tap your answer';

  renderResult(revealed, mine);
  showScreen('question');
}

function renderResult(revealed, mine) {
  const box = byId('q-result');
  box.hidden = !revealed;
  if (!revealed) return;
  const scored = mine && typeof mine.correct === 'boolean';
  // Once per question, when the result is known (a poll has none).
  if (scored && !question.cued && view.question.type !== 'poll') {
    question.cued = true;
    playCue(mine.correct ? 'right' : 'wrong');
  }
  let headline = 'No answer';
  let detail = 'Time ran out before you answered.';
  let tone = 'is-none';
  if (mine && !scored) {
    headline = 'Checking…';
    detail = '';
  } else if (view.question.type === 'poll') {
    headline = mine ? 'Vote counted' : 'No vote';
    detail = 'A poll scores no points.';
  } else if (scored && mine.correct) {
    headline = 'Correct!';
    detail = `+${formatPoints(mine.points ?? 0)} points`;
    tone = 'is-right';
  } else if (scored) {
    headline = 'Wrong';
    const right = view.question.type === 'type-answer' ? revealed.acceptedAnswers : revealed.correctChoices.map((i) => view.question.choices[i]);
    detail = `The answer was ${right.join(' or ')}.`;
    tone = 'is-wrong';
  }
  const standing = you ? `You are #${you.rank} with ${formatPoints(you.score)} points` : '';
  // Settled with the scores at this reveal: correct answers in a row, this one included.
  const streak = you && you.streak >= 2 ? `${you.streak} correct in a row` : you && scored && mine.correct ? 'Streak started' : '';
  box.className = `result ${tone}`;
  box.replaceChildren(
    h('p', { className: 'result-headline' }, headline),
    detail && h('p', { className: 'result-detail' }, detail),
    streak && h('p', { className: 'result-streak' }, streak),
    standing && h('p', { className: 'result-standing' }, standing),
  );
}

/** @param {{ choice: number } | { text: string }} answer */
function submit(answer) {
  if (!socket || !view || view.phase !== 'question' || ownAnswer() || question.sending !== null) return;
  question.sending = answer;
  question.refusal = null;
  renderQuestion();
  // Our own question-shown-to-tap time: the server credits it only within the network's round trip (docs/game.md, "Fair timing").
  const reactionMs = Math.min(Math.round(performance.now() - question.shownAt), MAX_REACTION_MS);
  send(view.questionIndex, { questionIndex: view.questionIndex, ...answer, reactionMs }, false);
}

/**
 * Sends the tapped answer, and again each ACK_WAIT_MS without an ack while the question is open. A slow
 * ack is a slow server, not a lost answer: the server stamps the first copy on arrival and keeps it, so the
 * page stays locked on the one answer instead of inviting a different tap that the server would refuse.
 */
function send(index, payload, again) {
  socket.timeout(ACK_WAIT_MS).emit('answer:submit', payload, (err, ack) => {
    if (question.index !== index || question.sending === null) return;
    if (err && view.phase === 'question' && socket.connected) {
      question.slow = true;
      renderQuestion();
      send(index, payload, true);
      return;
    }
    question.sending = null;
    question.slow = false;
    if (err) question.refusal = { message: 'The server did not confirm your answer; try again.', final: false };
    else if (ack.ok)
      question.locked = { questionIndex: ack.questionIndex, choice: 'choice' in ack ? ack.choice : null, text: 'text' in ack ? ack.text : undefined };
    // A copy sent again finds the first one kept: that one is this answer.
    else if ('error' in ack && again && ack.error.code === 'ALREADY_ANSWERED')
      question.locked = { questionIndex: index, choice: payload.choice ?? null, text: payload.text };
    else if ('error' in ack) question.refusal = { message: ack.error.message, final: FINAL_REFUSALS.has(ack.error.code) };
    if (view.phase === 'question' || view.phase === 'reveal') renderQuestion();
  });
}

function renderFinished() {
  if (!view) return;
  byId('final-rank').textContent = you ? `You finished #${you.rank}` : 'Thanks for playing!';
  byId('final-score').textContent = you ? `${formatPoints(you.score)} points` : '';
  renderLeaderboard(byId('final-board'), view.leaderboard, session?.nickname);
  showScreen('finished');
}

function leave() {
  history.replaceState(null, '', location.pathname);
  endSession(null);
  showJoin('', null);
}

// Keys 1–6 answer a choice question on a keyboard (not while typing an answer or a name).
document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.target instanceof HTMLInputElement) return;
  const n = Number(event.key);
  if (view?.phase !== 'question' || !Number.isInteger(n) || n < 1 || n > (view.question?.choices.length ?? 0)) return;
  event.preventDefault();
  submit({ choice: n - 1 });
});

// The browser knows before Socket.IO does that the network is gone.
const OFFLINE = 'You are offline. Your game goes on; this page reconnects when the network is back.';
window.addEventListener('offline', () => showNotice(OFFLINE));
window.addEventListener('online', () => showNotice(socket?.connected ? null : 'Back online; reconnecting…'));

initPreferences();
byId('join-form').addEventListener('submit', join);
byId('play-again').addEventListener('click', leave);
byId('closed-leave').addEventListener('click', leave);
byId('closed-resume').addEventListener('click', () => {
  if (!session) return leave();
  socket?.disconnect();
  startSession(session);
});
byId('join-code').addEventListener('input', (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  input.value = input.value.toUpperCase();
});

const codeParam = new URLSearchParams(location.search).get('code')?.trim().toUpperCase() ?? '';
const saved = loadStored(SESSION_KEY);
// `/#host` is a short way to the host screen.
if (location.hash === '#host') location.replace('/host.html');
else if (saved?.token && saved.code && (!codeParam || codeParam === saved.code)) startSession(saved);
else showJoin(codeParam, null);
