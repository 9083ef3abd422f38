import { rectifyConfusion } from 'unicode-confusables';

/**
 * The confusable skeleton of a nickname (Unicode TR39 §4): after NFKC (full-width and other
 * compatibility forms become plain letters), each character replaced by the
 * prototype it is confusable with, from Unicode's confusables.txt (`unicode-confusables`), between
 * NFD decompositions, with case folded and spaces dropped on top. Two nicknames with the same skeleton
 * look alike on screen (`Ann`, `Аnn` with a Cyrillic А, `ＡＮＮ`, `A nn`), so a room holds only one of them.
 */
export function nicknameSkeleton(nickname: string): string {
  const once = (s: string) => rectifyConfusion(s.normalize('NFD')).normalize('NFD');
  // Folding case can make new confusables (`I` → `i` is no longer `l`), so the prototype is taken both sides.
  return once(once(nickname.normalize('NFKC')).toLowerCase()).replace(/\s+/gu, '');
}
