/**
 * A bot's nickname the api accepts, unique up to 20,000 players: digits spelled as consonants with no
 * look-alikes (`rn` is `m`) and no words the nickname filter refuses (digits alone fold into words:
 * `f46`, `455`). Checked against nicknameSkeleton and the profanity rules for 0–19,999.
 */
export function botNickname(n: number): string {
  return `bot ${[...String(n)].map((d) => 'bdghjkpvxz'[Number(d)]).join('')}`;
}
