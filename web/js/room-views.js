// @ts-check
import { CHOICE_LETTERS, formatPoints, h } from './dom.js';

/**
 * Fills an <ol> with leaderboard rows; the row whose nickname is `own` is marked.
 * @param {HTMLElement} list an <ol>
 * @param {{ rank: number, nickname: string, score: number }[]} entries
 * @param {string} [own]
 */
export function renderLeaderboard(list, entries, own) {
  list.replaceChildren(
    ...entries.map((e) =>
      h(
        'li',
        { className: e.nickname === own ? 'leaderboard-row is-own' : 'leaderboard-row' },
        h('span', { className: 'leaderboard-rank' }, `#${e.rank}`),
        h('span', { className: 'leaderboard-name' }, e.nickname),
        h('span', { className: 'leaderboard-score' }, formatPoints(e.score)),
      ),
    ),
  );
}

/**
 * One horizontal bar per choice, as wide as its share of the answers; the correct ones are marked (a poll
 * has none, so nothing is dimmed). A type-answer question has no choices: the accepted answers instead.
 * @param {HTMLElement} container
 * @param {string[]} choices
 * @param {{ correctChoices: number[], acceptedAnswers: string[], distribution: number[], correctCount: number }} reveal
 */
export function renderDistribution(container, choices, reveal) {
  if (choices.length === 0) {
    container.replaceChildren(
      h('p', { className: 'accepted-answers' }, `Answer: ${reveal.acceptedAnswers.join(' / ')}`),
      h('p', { className: 'bar-count' }, `${reveal.correctCount} typed it right`),
    );
    return;
  }
  const most = Math.max(1, ...reveal.distribution);
  const poll = reveal.correctChoices.length === 0;
  container.replaceChildren(
    ...choices.map((choice, i) => {
      const count = reveal.distribution[i] ?? 0;
      const correct = reveal.correctChoices.includes(i);
      return h(
        'div',
        { className: `bar-row bar-${i}${correct ? ' is-correct' : poll ? '' : ' is-dimmed'}`, dataset: { choice: String(i) } },
        h('span', { className: 'bar-label' }, h('span', { className: 'choice-letter' }, CHOICE_LETTERS[i]), choice, correct ? ' ✓' : null),
        h('span', { className: 'bar-track' }, h('span', { className: 'bar-fill', style: { width: `${(count / most) * 100}%` } })),
        h('span', { className: 'bar-count', title: `${count} answer(s)` }, count),
      );
    }),
  );
}

/**
 * The top three on steps, second–first–third from left to right; an empty place keeps the winner centred.
 * @param {HTMLElement} container
 * @param {{ rank: number, nickname: string, score: number }[]} leaderboard
 */
export function renderPodium(container, leaderboard) {
  const top = leaderboard.slice(0, 3);
  container.replaceChildren(
    ...[1, 0, 2].map((i) => {
      const e = top[i];
      if (!e) return h('div', { className: 'podium-place is-empty' });
      return h(
        'div',
        { className: `podium-place podium-${i + 1}` },
        h('span', { className: 'podium-name' }, e.nickname),
        h('span', { className: 'podium-score' }, `${formatPoints(e.score)} pts`),
        h('span', { className: 'podium-step' }, h('span', { className: 'podium-rank' }, String(e.rank))),
      );
    }),
  );
}
