import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { nicknameSkeleton } from './nickname-skeleton';

/**
 * An optional word filter for nicknames. It folds what people use to slip past a list: case,
 * accents, look-alike digits and symbols (`h3ck`), and letters spaced out (`h.e-c k`). It matches
 * whole words, not substrings, so that `Checkmate` does not fall to `heck` (the Scunthorpe problem).
 */
const LOOK_ALIKES: Record<string, string> = { '0': 'o', '1': 'i', '!': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '8': 'b' };

/** Lower-case letters only, every other character a space. */
export function foldForFilter(text: string): string {
  return [...text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()]
    .map((c) => LOOK_ALIKES[c] ?? c)
    .map((c) => (/\p{L}/u.test(c) ? c : ' '))
    .join('');
}

/** The words of a folded nickname, with runs of single letters (`d a r n`) joined into one. */
function wordsOf(folded: string): string[] {
  const words: string[] = [];
  let letters = '';
  for (const token of folded.split(' ').filter(Boolean)) {
    if (token.length === 1) {
      letters += token;
      continue;
    }
    if (letters) words.push(letters);
    letters = '';
    words.push(token);
  }
  if (letters) words.push(letters);
  return words;
}

export type NicknameFilter = (nickname: string) => boolean;

/** `blocked` words, folded once; the filter says whether a nickname holds one of them. */
export function createNicknameFilter(blocked: readonly string[]): NicknameFilter {
  const words = new Set(blocked.map((w) => foldForFilter(w).replaceAll(' ', '')).filter((w) => w.length > 0));
  if (words.size === 0) return () => false;
  return (nickname) => {
    const folded = foldForFilter(nickname);
    return words.has(folded.replaceAll(' ', '')) || wordsOf(folded).some((w) => words.has(w));
  };
}

/**
 * Every nickname rule about words: the operator's list (above) and, when `profanity` is on, the
 * English profanity dataset of `obscenity` (with its look-alike and leetspeak transformers and its
 * own Scunthorpe whitelist). Both look at the nickname and at its confusable skeleton, so a word
 * written with Cyrillic or full-width letters, or spaced out, is still found.
 */
export function createNicknameRules(blocklist: readonly string[], profanity: boolean): NicknameFilter {
  const listed = createNicknameFilter(blocklist);
  const matcher = profanity ? new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers }) : null;
  const breaks = (text: string) => listed(text) || (matcher?.hasMatch(text) ?? false);
  return (nickname) => breaks(nickname) || breaks(nicknameSkeleton(nickname));
}
