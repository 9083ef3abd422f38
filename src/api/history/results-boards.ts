import { boardExclusion, boardStanding } from '../../game/scoring/fair-game';
import type { BoardStanding, GameResults } from '../../shared/game-results';
import type { QuestionsRepo } from '../../store/repos/questions.repo';

/**
 * The game's standing on the boards, by the same rule the worker applied when it saved the results,
 * with the bank as it is now (an admin publishing a question later does not move a game onto the boards).
 * A game whose host's account is gone is judged with no host: the account's questions lost their author too.
 */
export async function resultsBoardStanding(results: GameResults, questions: QuestionsRepo, minOthers: number): Promise<BoardStanding> {
  const hostId = results.game.hostId ?? '';
  const questionIds = results.questions.map((q) => q.id);
  const excluded = boardExclusion({ hostId, players: results.players, questionIds }, await questions.othersPublicAmong(questionIds, hostId), minOthers);
  return boardStanding(excluded, minOthers);
}
