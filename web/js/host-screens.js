// @ts-check
import { CHOICE_LETTERS, byId, formatPoints, h, showScreen } from './dom.js';
import { renderDistribution, renderLeaderboard, renderPodium } from './room-views.js';
import { clientConfig } from './socket-client.js';

const plural = (n, one, many) => (n === 1 ? one : many);

function questionMeta(view) {
  const q = view.question;
  return `Question ${view.questionIndex + 1} of ${view.settings.questionCount} · ${q.category} · ${q.difficulty}`;
}

/** The lobby: the code huge, the join link and its QR code, who is in, and the Start button. */
export function renderLobby(view) {
  byId('lobby-code').textContent = view.code;
  const qr = byId('qr', HTMLImageElement);
  const qrSrc = `/rooms/${encodeURIComponent(view.code)}/qr.svg`;
  if (qr.getAttribute('src') !== qrSrc) qr.src = qrSrc;
  // The address a phone can use (the LAN address when this page is on localhost), as the QR code encodes it.
  clientConfig().then(
    ({ joinUrl }) => {
      byId('join-url').textContent = joinUrl.replace(/^https?:\/\//, '');
      qr.title = `${joinUrl}/?code=${view.code}`;
    },
    () => (byId('join-url').textContent = location.host),
  );
  byId('lobby-count').textContent = String(view.playerCount);
  byId('lobby-count-label').textContent = `${plural(view.playerCount, 'player', 'players')} joined`;
  const more = view.playerCount - view.leaderboard.length;
  const names = view.leaderboard.map((e) => h('li', {}, e.nickname));
  if (more > 0) names.push(h('li', { className: 'more' }, `+${more} more`));
  byId('lobby-names').replaceChildren(...names);
  const start = byId('start', HTMLButtonElement);
  start.disabled = view.playerCount === 0;
  byId('start-hint').textContent = view.playerCount === 0 ? 'Start becomes available when the first player joins.' : '';
  showScreen('lobby');
}

/** The question as the room sees it: text, coloured choices, a smooth countdown, answers so far. */
export function renderQuestion(view, countdown, renderedIndex) {
  const q = view.question;
  if (renderedIndex !== view.questionIndex) {
    byId('hq-meta').textContent = questionMeta(view);
    byId('hq-text').textContent = q.text;
    byId('hq-choices').className = `choices choices-${q.choices.length}`;
    byId('hq-choices').replaceChildren(
      ...q.choices.map((text, i) =>
        h(
          'div',
          { className: `choice choice-${i}` },
          h('span', { className: 'choice-letter' }, CHOICE_LETTERS[i]),
          h('span', { className: 'choice-text' }, text),
        ),
      ),
    );
  }
  if (view.deadlineAt) countdown.set(view.deadlineAt, view.settings.questionSeconds * 1000);
  byId('hq-answered').textContent = `${view.answeredCount} of ${view.playerCount} answered`;
  showScreen('question');
}

/** After a question: how the room answered, the right answer, the leaderboard, and time to the next step. */
export function renderReveal(view, countdown) {
  const q = view.question;
  byId('hr-meta').textContent = questionMeta(view);
  byId('hr-text').textContent = q.text;
  renderDistribution(byId('hr-distribution'), q.choices, view.reveal);
  renderLeaderboard(byId('hr-board'), view.leaderboard);
  const last = view.questionIndex + 1 >= view.settings.questionCount;
  byId('hr-next').textContent = last ? 'Final results in' : 'Next question in';
  if (view.deadlineAt) countdown.set(view.deadlineAt, view.settings.revealSeconds * 1000);
  showScreen('reveal');
}

/** The podium for the top three, then the rest of the top (the view names the top ten; the results CSV has everyone). */
export function renderFinished(view) {
  renderPodium(byId('podium'), view.podium ?? view.leaderboard.slice(0, 3));
  // Per question and per player; the worker saves the results within seconds of the end.
  byId('results-csv', HTMLAnchorElement).href = `/games/${encodeURIComponent(view.gameId)}/results.csv`;
  renderLeaderboard(byId('final-rest'), view.leaderboard.slice(3));
  showScreen('finished');
}

/**
 * Under the final results, from the saved results: how answers were timed, and each player's cheat
 * signals for the host to judge (nothing is done about them automatically).
 * @param {{ timing: { rule: string }, players: { nickname: string, signals: { message: string }[] }[] }} results
 */
export function renderTimingReport(results) {
  byId('timing-rule').textContent = results.timing.rule;
  const flagged = results.players.filter((p) => p.signals.length > 0);
  byId('signals-title').hidden = flagged.length === 0;
  byId('signals').replaceChildren(...flagged.map((p) => h('li', {}, `${p.nickname}: ${p.signals.map((s) => s.message).join('; ')}`)));
}

/**
 * The in-game list of players (GET /rooms/:code/players), each with a Remove button.
 * @param {{ playerId: string, nickname: string, online: boolean, score: number }[]} players
 * @param {(player: { playerId: string, nickname: string }) => void} onRemove
 */
export function renderPlayerList(players, onRemove) {
  byId('players-count').textContent = String(players.length);
  byId('players-list').replaceChildren(
    ...players.map((p) =>
      h(
        'li',
        { className: p.online ? '' : 'is-offline' },
        h('span', {}, `${p.nickname} · ${formatPoints(p.score)} pts${p.online ? '' : ' · offline'}`),
        h('button', { type: 'button', className: 'btn btn-danger', ariaLabel: `Remove ${p.nickname}`, onclick: () => onRemove(p) }, 'Remove'),
      ),
    ),
  );
}
