// @ts-check
import { CHOICE_LETTERS, byId, formatPoints, h, showError, showScreen } from './dom.js';
import { api, downloadWithToken } from './rest-client.js';

/** The results of a game (per player and per question, with the CSV) and the host's game history. */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The worker saves a game's results within seconds of its end: until then the api answers 404. */
async function fetchResults(gameId, token) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api('GET', `/games/${encodeURIComponent(gameId)}/results`, { token });
    } catch (err) {
      if (err.status !== 404 || attempt >= 20) throw err;
      await sleep(500);
    }
  }
}

function rightAnswer(q) {
  if (q.type === 'type-answer') return q.accepted.join(' or ');
  if (q.type === 'poll') return 'a poll: no right answer';
  return q.correct.map((i) => `${CHOICE_LETTERS[i]}: ${q.choices[i]}`).join(', ');
}

/** Opens the results screen of one game, read with `token` (the host's, or the account of a player of it). */
export async function showResults(gameId, token, signInAgain) {
  showScreen('results');
  byId('results-title').textContent = 'Results';
  byId('results-boards').textContent = '';
  byId('results-players').replaceChildren();
  byId('results-questions').replaceChildren();
  let results;
  try {
    results = await fetchResults(gameId, token);
  } catch (err) {
    // Read with the account's token (from the history): a 401 means the stored sign-in is useless.
    if (err.status === 401 && signInAgain) return signInAgain(err.message);
    return showError(`Could not load the results: ${err.message}`);
  }
  const { game, players, questions, leaderboards } = results;
  byId('results-title').textContent = `Results of room ${game.roomCode}, ${new Date(game.finishedAt).toLocaleString()}`;
  // Whether the game counted on the leaderboards, and why not (the host's own questions, too few signed-in players).
  byId('results-boards').textContent = leaderboards.message;
  byId('results-download', HTMLAnchorElement).href = `/games/${encodeURIComponent(game.id)}/results.csv`;
  downloadWithToken(byId('results-download', HTMLAnchorElement), token);
  byId('results-players').replaceChildren(
    ...players.map((p) =>
      h(
        'tr',
        {},
        h('td', {}, `#${p.rank}`),
        h('td', {}, p.nickname),
        h('td', {}, formatPoints(p.score)),
        h('td', {}, `${p.correctCount} of ${questions.length}`),
      ),
    ),
  );
  byId('results-questions').replaceChildren(
    ...questions.map((q) =>
      h(
        'li',
        {},
        h('p', { className: 'results-q-text' }, q.text),
        h('p', { className: 'results-q-meta' }, `Answer: ${rightAnswer(q)} · ${q.breakdown.correctCount} of ${q.breakdown.answeredCount} answered right`),
      ),
    ),
  );
}

/** Opens the list of games the host hosted or played, newest first, each linking its results. */
export async function showHistory(token, signInAgain) {
  showScreen('history');
  let games;
  try {
    ({ games } = await api('GET', '/me/games?limit=50', { token }));
  } catch (err) {
    if (err.status === 401) return signInAgain(err.message);
    return showError(`Could not load your games: ${err.message}`);
  }
  byId('history-empty').hidden = games.length > 0;
  byId('history-list').replaceChildren(
    ...games.map((g) =>
      h(
        'li',
        {},
        h('button', { type: 'button', className: 'btn-link', onclick: () => showResults(g.gameId, token, signInAgain) }, `Room ${g.roomCode}`),
        ` · ${new Date(g.finishedAt).toLocaleString()} · ${g.category ?? 'any category'} · ${g.playerCount} ${g.playerCount === 1 ? 'player' : 'players'}`,
        g.played ? ` · you were #${g.played.rank}` : '',
      ),
    ),
  );
}

async function renderBoard(board, userId) {
  const { entries, total, week } = await api('GET', `/leaderboards/${board}?limit=10`);
  // The signed-in host's own place, when it is below the top 10 (404: not on the board).
  const own =
    userId && !entries.some((e) => e.userId === userId)
      ? await api('GET', `/leaderboards/${board}/players/${encodeURIComponent(userId)}`).then(
          (r) => r.player,
          () => null,
        )
      : null;
  const row = (e) =>
    h(
      'li',
      { className: e.userId === userId ? 'is-you' : '' },
      `#${e.rank} ${e.displayName ?? '(deleted account)'}${e.userId === userId ? ' (you)' : ''} · ${formatPoints(e.score)} points · ${e.games} ${e.games === 1 ? 'game' : 'games'}`,
    );
  byId(`board-${board}-title`).textContent = board === 'global' ? `All time (${total} players)` : `Week ${week} (${total} players)`;
  byId(`board-${board}`).replaceChildren(...entries.map(row), ...(own ? [h('li', { className: 'is-you board-gap' }, '…'), row(own)] : []));
  byId(`board-${board}-empty`).hidden = entries.length > 0;
}

/** The global and this week's leaderboards of signed-in players, with the host's own rank. */
export async function showLeaderboards(userId) {
  showScreen('leaderboards');
  try {
    await Promise.all([renderBoard('global', userId), renderBoard('weekly', userId)]);
  } catch (err) {
    showError(`Could not load the leaderboards: ${err.message}`);
  }
}
