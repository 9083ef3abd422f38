/** HTML 4's Latin-1 entities, in code point order from U+00A0. */
const LATIN1 = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para ' +
  'middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute ' +
  'Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute ' +
  'THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ' +
  'ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');

/** Greek letters from U+0391 and U+03B1; U+03A2 is unassigned, its lower-case twin is final sigma. */
const GREEK = 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho sigmaf Sigma Tau Upsilon Phi Chi Psi Omega'.split(' ');

const OTHERS: Record<string, number> = {
  quot: 0x22, amp: 0x26, apos: 0x27, lt: 0x3c, gt: 0x3e, OElig: 0x152, oelig: 0x153, Scaron: 0x160, scaron: 0x161, Yuml: 0x178,
  fnof: 0x192, circ: 0x2c6, tilde: 0x2dc, ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e,
  rlm: 0x200f, ndash: 0x2013, mdash: 0x2014, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a, ldquo: 0x201c, rdquo: 0x201d,
  bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022, hellip: 0x2026, permil: 0x2030, prime: 0x2032, Prime: 0x2033,
  lsaquo: 0x2039, rsaquo: 0x203a, oline: 0x203e, euro: 0x20ac, trade: 0x2122, larr: 0x2190, uarr: 0x2191, rarr: 0x2192,
  darr: 0x2193, harr: 0x2194, infin: 0x221e, ne: 0x2260, le: 0x2264, ge: 0x2265, minus: 0x2212, radic: 0x221a,
};

const NAMED = new Map<string, number>([
  ...LATIN1.map((name, i): [string, number] => [name, 0xa0 + i]),
  ...GREEK.flatMap((name, i): [string, number][] => {
    const lower: [string, number] = [name === 'sigmaf' ? 'sigmaf' : name.toLowerCase(), 0x3b1 + i];
    return name === 'sigmaf' ? [lower] : [[name, 0x391 + i], lower];
  }),
  ...Object.entries(OTHERS),
]);

/**
 * Decodes the HTML character references Open Trivia DB uses (`&quot;`, `&#039;`, `&eacute;`, `&#x2019;`, …).
 * An unknown name, or a number that is no Unicode scalar value, is left as written.
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,9});/g, (whole, ref: string) => {
    const code = ref.startsWith('#') ? Number.parseInt(ref.slice(ref[1] === 'x' || ref[1] === 'X' ? 2 : 1), ref[1] === 'x' || ref[1] === 'X' ? 16 : 10) : NAMED.get(ref);
    if (code === undefined || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}
